namespace Streaming.Core.Consumer;

/// <summary>Where a <see cref="ShardConsumer"/> is in its life. It only moves forward, from <see cref="Starting"/> to one of the ends.</summary>
public enum ShardConsumerState
{
    /// <summary>Getting its first iterator.</summary>
    Starting,

    /// <summary>Reading, routing and publishing.</summary>
    Reading,

    /// <summary>The shard is closed and fully read: writing the rest, then SHARD_END.</summary>
    ShardEnded,

    /// <summary>Asked to stop: writing what it buffered, then checkpointing.</summary>
    Stopping,

    /// <summary>Another worker took the lease: stopped without writing.</summary>
    LeaseLost,

    /// <summary>Stopped by an error it could not get past.</summary>
    Failed,

    /// <summary>Stopped cleanly (after <see cref="ShardEnded"/> or <see cref="Stopping"/>).</summary>
    Stopped,
}
