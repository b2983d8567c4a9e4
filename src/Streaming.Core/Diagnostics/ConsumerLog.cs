using Microsoft.Extensions.Logging;

namespace Streaming.Core.Diagnostics;

internal static partial class ConsumerLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Worker {WorkerId} took the lease of {ShardId} (checkpoint {Checkpoint}, previous owner {PreviousOwner})")]
    public static partial void LeaseTaken(ILogger logger, string workerId, string shardId, string checkpoint, string? previousOwner);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Worker {WorkerId} lost the lease of {ShardId}; its processing stops without writing")]
    public static partial void LeaseLost(ILogger logger, string workerId, string shardId);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Worker {WorkerId} released the lease of {ShardId} at {Checkpoint}")]
    public static partial void LeaseReleased(ILogger logger, string workerId, string shardId, string checkpoint);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Shard {ShardId} is finished (SHARD_END)")]
    public static partial void ShardEnded(ILogger logger, string shardId);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Created the lease of shard {ShardId} (parents {Parents}, starting at {Start})")]
    public static partial void LeaseCreated(ILogger logger, string shardId, string parents, string start);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "The lease table is unavailable: {Message}")]
    public static partial void LeaseStoreUnavailable(ILogger logger, string message);

    [LoggerMessage(EventId = 215, Level = LogLevel.Warning, Message = "Listing the stream's shards failed; leases are balanced again at the next round: {Message}")]
    public static partial void ShardListingFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Reading shard {ShardId} was throttled or Kinesis did not answer; trying again in {DelaySeconds:0.0} s")]
    private static partial void Throttled(ILogger logger, string shardId, double delaySeconds);

    public static void Throttled(ILogger logger, string shardId, TimeSpan delay) => Throttled(logger, shardId, delay.TotalSeconds);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "The iterator of shard {ShardId} expired; resuming after {Position}")]
    public static partial void IteratorExpired(ILogger logger, string shardId, string position);

    [LoggerMessage(EventId = 208, Level = LogLevel.Error, Message = "Shard {ShardId} failed ({Problem}); its lease is released for another attempt")]
    public static partial void ShardFailed(ILogger logger, string shardId, string problem, Exception exception);

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Writing for shard {ShardId} failed: {Problem}; trying again in {DelaySeconds:0.0} s")]
    private static partial void WriteFailed(ILogger logger, string shardId, string problem, double delaySeconds);

    public static void WriteFailed(ILogger logger, string shardId, string problem, TimeSpan delay) => WriteFailed(logger, shardId, problem, delay.TotalSeconds);

    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "Stopping the worker: a failure that retrying cannot fix (the last line says which): {Problem}")]
    public static partial void WorkerFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = 213, Level = LogLevel.Error, Message = "Out of memory: the heap after the last collection held {HeapMiB} MiB ({FragmentedMiB} MiB of it free but fragmented) of a {LimitMiB} MiB limit, {CommittedMiB} MiB committed; by generation after it: gen0 {Gen0MiB}, gen1 {Gen1MiB}, gen2 {Gen2MiB}, large objects {LohMiB}, pinned {PohMiB} MiB")]
    private static partial void OutOfMemory(ILogger logger, long heapMiB, long fragmentedMiB, long limitMiB, long committedMiB, long gen0MiB, long gen1MiB, long gen2MiB, long lohMiB, long pohMiB);

    /// <summary>What the collector last saw, for an <see cref="OutOfMemoryException"/>: live data or fragmentation.</summary>
    public static void OutOfMemory(ILogger logger)
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        var after = new long[5];
        var generations = info.GenerationInfo;
        for (var i = 0; i < Math.Min(after.Length, generations.Length); i++)
        {
            after[i] = Mib(generations[i].SizeAfterBytes);
        }

        OutOfMemory(logger, Mib(info.HeapSizeBytes), Mib(info.FragmentedBytes), Mib(info.TotalAvailableMemoryBytes), Mib(info.TotalCommittedBytes), after[0], after[1], after[2], after[3], after[4]);

        static long Mib(long bytes) => bytes / (1024 * 1024);
    }

    [LoggerMessage(EventId = 212, Level = LogLevel.Warning, Message = "Shard {ShardId}: {Buffers} buffers ({Events} events) could not be written within the shutdown timeout ({TimeoutSeconds:0} s); the next owner re-reads them from checkpoint {Checkpoint}")]
    public static partial void StopUnfinished(ILogger logger, string shardId, int buffers, long events, double timeoutSeconds, string checkpoint);

    [LoggerMessage(EventId = 209, Level = LogLevel.Information, Message = "Shard {ShardId} stopped at {Checkpoint} ({Reason})")]
    public static partial void ShardStopped(ILogger logger, string shardId, string checkpoint, string reason);
}
