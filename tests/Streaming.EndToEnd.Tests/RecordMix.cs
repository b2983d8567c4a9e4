using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Streaming.Aws.Kinesis;
using Streaming.Core.Decoding;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// Packs lines into Kinesis records of every format a producer may use, chosen at random (seeded) for each record:
/// one event per record, several newline-delimited events (with <c>\r\n</c>, blank lines or a trailing newline),
/// gzip and zlib compressed payloads, and KPL aggregates. Records are put with the first event's user id as partition
/// key, so they spread over the shards. A hostile line is a record of its own, or one line of a gzip record.
/// </summary>
internal static partial class RecordMix
{
    public static IReadOnlyList<PutRecordsEntry> Build(CorpusBatch batch, int seed)
    {
        var random = new Random(seed);
        var entries = new List<PutRecordsEntry>();
        var aggregates = new Dictionary<string, (KplAggregator Aggregator, int Target)>(StringComparer.Ordinal);
        var hostile = batch.Hostile
            .Select(line => (At: random.Next(batch.Events.Count + 1), Line: line))
            .OrderBy(h => h.At)
            .ToList();
        var next = 0;
        var h = 0;
        while (next < batch.Events.Count || h < hostile.Count)
        {
            if (h < hostile.Count && hostile[h].At <= next)
            {
                var line = hostile[h++].Line;
                var key = $"hostile-{random.Next(1000)}";
                if (random.Next(4) == 0 && next < batch.Events.Count)
                {
                    var take = Take(batch, ref next, random.Next(1, 4));
                    entries.Add(new PutRecordsEntry(Gzip(Join([line, .. take.Select(Encoding.UTF8.GetBytes)], "\n"u8)), key));
                }
                else
                {
                    entries.Add(Single(line, key));
                }

                continue;
            }

            var format = random.Next(100);
            if (format < 30)
            {
                var line = batch.Events[next++];
                entries.Add(Single(Encoding.UTF8.GetBytes(line), KeyOf(line, random)));
            }
            else if (format < 50)
            {
                var lines = Take(batch, ref next, random.Next(2, 7));
                entries.Add(new PutRecordsEntry(Ndjson(lines, random), KeyOf(lines[0], random)));
            }
            else if (format < 65)
            {
                var lines = Take(batch, ref next, random.Next(1, 7));
                entries.Add(new PutRecordsEntry(Gzip(Ndjson(lines, random)), KeyOf(lines[0], random)));
            }
            else if (format < 75)
            {
                var lines = Take(batch, ref next, random.Next(1, 7));
                entries.Add(new PutRecordsEntry(Zlib(Ndjson(lines, random)), KeyOf(lines[0], random)));
            }
            else
            {
                // A user record is mostly one event; sometimes several newline-delimited ones, or compressed.
                var lines = Take(batch, ref next, random.Next(5) == 0 ? random.Next(2, 4) : 1);
                var data = lines.Count == 1 ? Encoding.UTF8.GetBytes(lines[0]) : Ndjson(lines, random);
                data = random.Next(10) == 0 ? Gzip(data) : data;
                var key = KeyOf(lines[0], random);
                if (!aggregates.TryGetValue(key, out var open))
                {
                    open = (new KplAggregator(), random.Next(2, 20));
                    aggregates[key] = open;
                }

                Assert.Equal(KplAddResult.Added, open.Aggregator.TryAdd(data, key));
                if (open.Aggregator.Count >= open.Target)
                {
                    entries.Add(Aggregated(open.Aggregator.Flush()!));
                    aggregates.Remove(key);
                }
            }
        }

        entries.AddRange(aggregates.Values.Select(a => Aggregated(a.Aggregator.Flush()!)));
        return entries;
    }

    /// <summary>A one-line record; a line that would be taken for a compressed or aggregated payload is gzipped instead.</summary>
    private static PutRecordsEntry Single(byte[] line, string key) =>
        Compression.IsGzip(line) || Compression.IsZlib(line) || KplAggregate.HasMagic(line)
            ? new PutRecordsEntry(Gzip(line), key)
            : new PutRecordsEntry(line, key);

    private static PutRecordsEntry Aggregated(KplAggregatedRecord record) => new(record.Data, record.PartitionKey);

    private static List<string> Take(CorpusBatch batch, ref int next, int count)
    {
        var lines = batch.Events.Skip(next).Take(count).ToList();
        next += lines.Count;
        return lines;
    }

    private static string KeyOf(string line, Random random) =>
        UserId().Match(line) is { Success: true } m ? $"user-{m.Groups[1].Value}" : $"anonymous-{random.Next(1000)}";

    private static byte[] Ndjson(IReadOnlyList<string> lines, Random random)
    {
        var separator = random.Next(4) switch
        {
            0 => "\r\n"u8.ToArray(),
            1 => "\n\n"u8.ToArray(),
            _ => "\n"u8.ToArray(),
        };
        var text = Join(lines.Select(Encoding.UTF8.GetBytes), separator);
        return random.Next(2) == 0 ? [.. text, .. separator] : text;
    }

    private static byte[] Join(IEnumerable<byte[]> lines, ReadOnlySpan<byte> separator)
    {
        var output = new MemoryStream();
        var first = true;
        foreach (var line in lines)
        {
            if (!first)
            {
                output.Write(separator);
            }

            output.Write(line);
            first = false;
        }

        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Zlib(byte[] data)
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(data);
        }

        return output.ToArray();
    }

    [GeneratedRegex("\"user_id\"\\s*:\\s*(\\d+)")]
    private static partial Regex UserId();
}
