namespace Streaming.Aws.Kinesis;

/// <summary>The ShardFilter types of ListShards.</summary>
public enum ShardFilterType
{
    /// <summary>Shards after <see cref="ShardFilter.ShardId"/>.</summary>
    AfterShardId,

    /// <summary>Shards open at the trim horizon (the oldest retained data).</summary>
    AtTrimHorizon,

    /// <summary>All shards from the trim horizon on, closed ones included.</summary>
    FromTrimHorizon,

    /// <summary>Only the currently open shards.</summary>
    AtLatest,

    /// <summary>Shards open at <see cref="ShardFilter.Timestamp"/>.</summary>
    AtTimestamp,

    /// <summary>Shards open at or after <see cref="ShardFilter.Timestamp"/>.</summary>
    FromTimestamp,
}
