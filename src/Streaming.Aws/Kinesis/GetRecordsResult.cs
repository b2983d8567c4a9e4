namespace Streaming.Aws.Kinesis;

/// <summary>The answer of GetRecords.</summary>
/// <param name="Records">The records read, in shard order; may be empty even when more data follows.</param>
/// <param name="NextShardIterator">Where to read next; null once a closed shard has been read to its end.</param>
/// <param name="MillisBehindLatest">How far the iterator is behind the tip of the shard; 0 means caught up.</param>
/// <param name="ChildShards">At the end of a closed shard, the shards that continue it; otherwise empty.</param>
public sealed record GetRecordsResult(
    IReadOnlyList<KinesisRecord> Records,
    string? NextShardIterator,
    long? MillisBehindLatest,
    IReadOnlyList<ChildShard> ChildShards)
{
    /// <summary>True when the shard is closed and this read reached its end.</summary>
    public bool IsShardEnd => NextShardIterator is null;
}
