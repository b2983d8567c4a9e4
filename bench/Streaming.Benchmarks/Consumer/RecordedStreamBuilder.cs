using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// Deals events into shards by partition key and records, for each shard, the GetRecords answers Kinesis would
/// send for them: JSON 1.1 bodies with base64 data, 56-digit sequence numbers, arrival timestamps in epoch
/// seconds, at most 10,000 records or 10 MiB of data per answer. Everything is serialised here, before any timing.
/// </summary>
internal static class RecordedStreamBuilder
{
    public const int MaxRecordsPerResponse = 10_000;
    public const int MaxBytesPerResponse = 10 * 1024 * 1024;

    public static IReadOnlyList<RecordedShard> Build(IReadOnlyList<ReadOnlyMemory<byte>> events, int shards, RecordFormat format, int eventsPerRecord, DateTimeOffset firstArrival)
    {
        var dealt = new List<(ReadOnlyMemory<byte> Data, string Key)>[shards];
        for (var s = 0; s < shards; s++)
        {
            dealt[s] = [];
        }

        foreach (var e in events)
        {
            var key = ShardHashing.PartitionKey(e.Span);
            dealt[ShardHashing.ShardOf(key, shards)].Add((e, key));
        }

        var recorded = new RecordedShard[shards];
        for (var s = 0; s < shards; s++)
        {
            var records = format == RecordFormat.Aggregated ? Aggregate(dealt[s]) : Pack(dealt[s], eventsPerRecord);
            recorded[s] = Record(s, records, dealt[s].Count, firstArrival);
        }

        return recorded;
    }

    /// <summary>Plain records: <paramref name="eventsPerRecord"/> consecutive events of the shard, newline-delimited.</summary>
    private static List<(ReadOnlyMemory<byte> Data, string Key)> Pack(List<(ReadOnlyMemory<byte> Data, string Key)> events, int eventsPerRecord)
    {
        if (eventsPerRecord == 1)
        {
            return events;
        }

        var records = new List<(ReadOnlyMemory<byte>, string)>();
        for (var i = 0; i < events.Count; i += eventsPerRecord)
        {
            var group = events.Skip(i).Take(eventsPerRecord).ToList();
            var data = new byte[group.Sum(g => g.Data.Length + 1) - 1];
            var at = 0;
            foreach (var (line, _) in group)
            {
                if (at > 0)
                {
                    data[at++] = (byte)'\n';
                }

                line.Span.CopyTo(data.AsSpan(at));
                at += line.Length;
            }

            records.Add((data, group[0].Key));
        }

        return records;
    }

    /// <summary>KPL aggregates of up to 1 MiB; a lone record goes as it is, as the KPL and <c>streaming produce</c> send it.</summary>
    private static List<(ReadOnlyMemory<byte> Data, string Key)> Aggregate(List<(ReadOnlyMemory<byte> Data, string Key)> events)
    {
        var records = new List<(ReadOnlyMemory<byte>, string)>();
        var aggregator = new KplAggregator();
        (ReadOnlyMemory<byte> Data, string Key) first = default;
        void Emit()
        {
            if (aggregator.Count == 1)
            {
                aggregator.Clear();
                records.Add(first);
            }
            else if (aggregator.Flush() is { } aggregate)
            {
                records.Add((aggregate.Data, aggregate.PartitionKey));
            }
        }

        foreach (var e in events)
        {
            if (aggregator.TryAdd(e.Data, e.Key) == KplAddResult.Full)
            {
                Emit();
                aggregator.TryAdd(e.Data, e.Key);
            }

            if (aggregator.Count == 1)
            {
                first = e;
            }
        }

        Emit();
        return records;
    }

    private static RecordedShard Record(int shard, List<(ReadOnlyMemory<byte> Data, string Key)> records, long events, DateTimeOffset firstArrival)
    {
        var shardId = ShardHashing.ShardId(shard);
        var responses = new List<byte[]>();
        var body = new ArrayBufferWriter<byte>(MaxBytesPerResponse * 2);
        long recordBytes = 0;
        var lastArrivalMs = firstArrival.ToUnixTimeMilliseconds() + records.Count - 1;
        var next = 0;
        do
        {
            body.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(body))
            {
                json.WriteStartObject();
                json.WriteStartArray("Records");
                var count = 0;
                long bytes = 0;
                long arrivalMs = 0;
                while (next < records.Count && count < MaxRecordsPerResponse && bytes + records[next].Data.Length <= MaxBytesPerResponse)
                {
                    var (data, key) = records[next];
                    arrivalMs = firstArrival.ToUnixTimeMilliseconds() + next;
                    json.WriteStartObject();
                    json.WriteString("SequenceNumber", SequenceNumber(shard, next));
                    json.WriteNumber("ApproximateArrivalTimestamp", arrivalMs / 1000m);
                    json.WriteBase64String("Data", data.Span);
                    json.WriteString("PartitionKey", key);
                    json.WriteEndObject();
                    count++;
                    bytes += data.Length;
                    next++;
                }

                json.WriteEndArray();
                recordBytes += bytes;
                if (next < records.Count)
                {
                    json.WriteString("NextShardIterator", Iterator(shardId, responses.Count + 1));
                    json.WriteNumber("MillisBehindLatest", lastArrivalMs - arrivalMs);
                }
                else
                {
                    // A closed shard read to its end: no next iterator, and the (here no) child shards.
                    json.WriteNumber("MillisBehindLatest", 0);
                    json.WriteStartArray("ChildShards");
                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            // Pinned, so the recorded answers (hundreds of MB) are never moved by a compacting collection during the run.
            var copy = GC.AllocateUninitializedArray<byte>(body.WrittenCount, pinned: true);
            body.WrittenSpan.CopyTo(copy);
            responses.Add(copy);
        }
        while (next < records.Count);

        return new RecordedShard(shardId, responses, records.Count, recordBytes, events);
    }

    public static string Iterator(string shardId, int response) => string.Create(CultureInfo.InvariantCulture, $"{shardId}/{response}");

    /// <summary>56 digits, increasing within a shard, like Kinesis's.</summary>
    private static string SequenceNumber(int shard, int record) => string.Create(CultureInfo.InvariantCulture, $"4959{shard:D6}{record + 1:D46}");
}
