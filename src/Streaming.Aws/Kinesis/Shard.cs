namespace Streaming.Aws.Kinesis;

/// <summary>One shard as ListShards describes it.</summary>
public sealed record Shard(
    string ShardId,
    string? ParentShardId,
    string? AdjacentParentShardId,
    HashKeyRange HashKeyRange,
    SequenceNumberRange SequenceNumberRange)
{
    /// <summary>A shard stays open until a split or merge closes it; a closed shard has an ending sequence number.</summary>
    public bool IsOpen => SequenceNumberRange.EndingSequenceNumber is null;
}
