namespace Streaming.Aws.Kinesis;

/// <summary>Selects which shards ListShards returns.</summary>
public sealed record ShardFilter(ShardFilterType Type, string? ShardId = null, DateTimeOffset? Timestamp = null)
{
    public static ShardFilter AtLatest { get; } = new(ShardFilterType.AtLatest);

    public static ShardFilter AtTrimHorizon { get; } = new(ShardFilterType.AtTrimHorizon);

    public static ShardFilter FromTrimHorizon { get; } = new(ShardFilterType.FromTrimHorizon);

    public static ShardFilter AfterShardId(string shardId) => new(ShardFilterType.AfterShardId, ShardId: shardId);

    public static ShardFilter AtTimestamp(DateTimeOffset timestamp) => new(ShardFilterType.AtTimestamp, Timestamp: timestamp);

    public static ShardFilter FromTimestamp(DateTimeOffset timestamp) => new(ShardFilterType.FromTimestamp, Timestamp: timestamp);
}
