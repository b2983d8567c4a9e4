namespace Streaming.Aws.Kinesis;

/// <summary>A shard that continues a closed one; reported by GetRecords when it reaches the end of a closed shard.</summary>
public sealed record ChildShard(string ShardId, IReadOnlyList<string> ParentShards, HashKeyRange HashKeyRange);
