using System.IO.Compression;
using System.Text;
using Streaming.Aws.Kinesis;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.EndToEnd.Tests;

/// <summary>Puts corpus lines into a stream in every record format (see <see cref="RecordMix"/>).</summary>
internal static class Events
{
    /// <summary>
    /// Puts <paramref name="batch"/> as a mix of record formats. With <paramref name="slices"/> above one the records
    /// go in that many parts with <paramref name="pause"/> between them, so that events keep flowing while a test
    /// kills, stops or adds workers.
    /// </summary>
    public static async Task PutAsync(KinesisClient kinesis, string stream, CorpusBatch batch, int seed, int slices = 1, TimeSpan pause = default)
    {
        var entries = RecordMix.Build(batch, seed);
        var size = (entries.Count + slices - 1) / slices;
        for (var start = 0; start < entries.Count; start += size)
        {
            if (start > 0)
            {
                await Task.Delay(pause);
            }

            await PutEntriesAsync(kinesis, stream, entries.Skip(start).Take(size).ToList());
        }
    }

    public static string Json(int i) =>
        $$$"""{"id":"e-{{{i}}}","date":"2021-09-16T{{{i % 3:D2}}}:{{{i % 60:D2}}}:00Z","type":"t{{{i % 3}}}","user_id":{{{i % 40}}},"seq":{{{i}}},"params":{"n":{{{i}}},"tag":"x{{{i % 7}}}"}}""";

    /// <summary>Puts events [from, to) in records of a few kinds, round robin by event: plain, two per record (NDJSON), gzip, and KPL aggregates.</summary>
    public static async Task PutAsync(KinesisClient kinesis, string stream, int from, int to, bool aggregate = true)
    {
        var entries = new List<PutRecordsEntry>();
        var aggregator = new KplAggregator();
        for (var i = from; i < to; i++)
        {
            var key = $"user-{i % 40}";
            switch (aggregate ? i % 4 : i % 3)
            {
                case 0:
                    entries.Add(new PutRecordsEntry(Encoding.UTF8.GetBytes(Json(i)), key));
                    break;
                case 1 when i + 1 < to:
                    entries.Add(new PutRecordsEntry(Encoding.UTF8.GetBytes(Json(i) + "\n" + Json(i + 1) + "\n"), key));
                    i++;
                    break;
                case 2:
                    entries.Add(new PutRecordsEntry(Gzip(Json(i)), key));
                    break;
                default:
                    if (aggregate)
                    {
                        aggregator.TryAdd(Encoding.UTF8.GetBytes(Json(i)), key);
                    }
                    else
                    {
                        entries.Add(new PutRecordsEntry(Encoding.UTF8.GetBytes(Json(i)), key));
                    }

                    break;
            }
        }

        if (aggregator.Flush() is { } aggregated)
        {
            entries.Add(new PutRecordsEntry(aggregated.Data, aggregated.PartitionKey));
        }

        await PutEntriesAsync(kinesis, stream, entries);
    }

    public static async Task PutEntriesAsync(KinesisClient kinesis, string stream, IReadOnlyList<PutRecordsEntry> entries)
    {
        foreach (var chunk in entries.Chunk(400))
        {
            var pending = chunk.ToList();
            for (var attempt = 0; pending.Count > 0; attempt++)
            {
                Assert.True(attempt < 20, "PutRecords kept failing");
                var result = await kinesis.PutRecordsAsync(stream, pending);
                pending = pending.Where((_, k) => result.Entries[k].ErrorCode is not null).ToList();
            }
        }
    }

    private static byte[] Gzip(string text)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
