namespace Streaming.Core.Consumer;

/// <summary>A shard and its parents (one after a split, two after a merge, none for an original shard).</summary>
public sealed record ShardDescription(string ShardId, IReadOnlyList<string> ParentShardIds, bool IsOpen);
