namespace Streaming.Core.Configuration;

/// <summary>
/// How a worker's memory follows from its <see cref="LakeOptions.MemoryBudget"/> (docs/memory.md). The budget
/// counts what grows with the data: buffers, rejected events, encodes and encoded files waiting for their
/// upload. Besides it the managed heap needs a fixed headroom (the runtime's and SDKs' objects, the GetRecords
/// answers of up to four shards, short-lived garbage between collections), and the process some native memory
/// (code, the runtime, thread stacks, the HTTP stack). <c>streaming run</c> caps its managed heap at
/// <see cref="HeapLimit"/>, so the garbage collector works harder instead of letting the process grow, and a
/// pod limit of <see cref="ProcessLimit"/> holds.
/// </summary>
public static class MemoryBounds
{
    /// <summary>Managed heap beyond the budget: live objects the budget does not count, and room for garbage.</summary>
    public static readonly ByteSize HeapHeadroom = ByteSize.MiB(128);

    /// <summary>Memory outside the managed heap, measured on an idle and a busy worker (docs/benchmarks.md).</summary>
    public static readonly ByteSize NativeOverhead = ByteSize.MiB(128);

    /// <summary>Shards whose GetRecords answers (being parsed and routed) the headroom covers.</summary>
    public const int ShardsInHeadroom = 4;

    /// <summary>
    /// What one more shard reading at once adds: an answer holds at most 10 MB of records (Kinesis's limit per
    /// GetRecords call), its HTTP body about as much again while it is parsed.
    /// </summary>
    public static readonly ByteSize PerShardReading = ByteSize.MiB(25);

    /// <summary>
    /// Encodes and encoded files waiting for their upload, all shards together: a quarter of the budget. The
    /// router writes buffers early down to three quarters of it, so the two together stay near the budget.
    /// </summary>
    public static long PublishingLimit(ByteSize budget) => budget.Bytes / 4;

    /// <summary>The managed heap's hard limit for a worker with this budget, holding <paramref name="shards"/> leases.</summary>
    public static long HeapLimit(ByteSize budget, int shards = 0) =>
        budget.Bytes + HeapHeadroom.Bytes + (Math.Max(0, shards - ShardsInHeadroom) * PerShardReading.Bytes);

    /// <summary>The peak resident memory a worker with this budget and this many shards stays under: the pod limit to give it.</summary>
    public static long ProcessLimit(ByteSize budget, int shards = 0) => HeapLimit(budget, shards) + NativeOverhead.Bytes;
}
