using Streaming.Aws.Kinesis;

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
}
