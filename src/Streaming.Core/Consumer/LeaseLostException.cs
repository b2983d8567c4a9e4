namespace Streaming.Core.Consumer;

/// <summary>This worker no longer owns the shard's lease: stop at once and write nothing more for it.</summary>
public sealed class LeaseLostException(string shardId) : Exception($"the lease of {shardId} was lost");
