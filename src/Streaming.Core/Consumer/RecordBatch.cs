namespace Streaming.Core.Consumer;

/// <summary>One GetRecords answer. A null <see cref="NextIterator"/> means the shard is closed and fully read.</summary>
public sealed record RecordBatch(IReadOnlyList<StreamRecord> Records, string? NextIterator, long? MillisBehindLatest, IReadOnlyList<string> ChildShardIds);
