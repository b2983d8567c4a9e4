namespace Streaming.Core.Leases;

/// <summary>
/// One shard's lease, as stored in the lease table (one item per shard). Every write except creation is
/// conditional on <see cref="Counter"/>; renew, take, checkpoint and release each bump it. Expiry is never a
/// stored time: a worker calls a lease expired when it has watched the counter stand still for the failover
/// time on its own monotonic clock.
/// </summary>
/// <param name="ShardId">The key.</param>
/// <param name="Owner">The worker holding the lease, or null when free.</param>
/// <param name="Counter">The lease counter the next conditional write must match.</param>
/// <param name="Checkpoint">Everything up to and including this position is durably in the lake (or <c>_errors</c>).</param>
/// <param name="ParentShardIds">The shard's parents: it is not read before they reach SHARD_END.</param>
/// <param name="Flushed">
/// For each (table, hour) partition written beyond the checkpoint: the last position already in the lake
/// (key <c>table/hour</c>, value <see cref="ShardPosition.ToString"/>). A replay skips those events, so a
/// restart never writes them twice. Entries at or below the checkpoint are dropped.
/// </param>
public sealed record Lease(
    string ShardId,
    string? Owner,
    long Counter,
    ShardPosition Checkpoint,
    IReadOnlyList<string> ParentShardIds,
    IReadOnlyDictionary<string, string> Flushed)
{
    public bool IsFinished => Checkpoint.IsShardEnd;

    public static Lease New(string shardId, ShardPosition initial, IReadOnlyList<string> parents) =>
        new(shardId, null, 0, initial, parents, new Dictionary<string, string>(StringComparer.Ordinal));
}
