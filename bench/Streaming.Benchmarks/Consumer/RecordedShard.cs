namespace Streaming.Benchmarks.Consumer;

/// <summary>One shard's GetRecords answers, as the JSON 1.1 bodies Kinesis sends, in reading order.</summary>
internal sealed class RecordedShard
{
    public RecordedShard(string shardId, IReadOnlyList<byte[]> responses, long records, long recordBytes, long events)
    {
        ShardId = shardId;
        Responses = responses;
        Records = records;
        RecordBytes = recordBytes;
        Events = events;
    }

    public string ShardId { get; }

    /// <summary>The response bodies; the last one has no NextShardIterator (the shard is closed and read to its end).</summary>
    public IReadOnlyList<byte[]> Responses { get; }

    /// <summary>Kinesis records in the answers (an aggregate counts once).</summary>
    public long Records { get; }

    /// <summary>Bytes of record data (the decoded blobs, not their base64).</summary>
    public long RecordBytes { get; }

    /// <summary>Events (NDJSON lines) the records hold.</summary>
    public long Events { get; }
}
