namespace Streaming.Core.Leases;

/// <summary>
/// Decides which leases this worker should take in one round, the way the Kinesis Client Library does but
/// faster to converge: the target is ceil(ready leases / live workers); free and expired leases are taken
/// first (a free one before an expired one, parents before children); only when none is left does it steal,
/// from the most loaded worker only, at most <see cref="LeaseOptions.MaxStealsPerRound"/> at a time and never
/// bringing that worker below the target. Pure: it reads a snapshot and returns decisions.
/// </summary>
public static class LeaseBalancer
{
    /// <param name="leases">Every lease in the table.</param>
    /// <param name="isExpired">Whether a held lease has stopped being renewed (see <see cref="LeaseObserver"/>).</param>
    public static IReadOnlyList<Lease> ChooseLeasesToTake(IReadOnlyList<Lease> leases, string workerId, Func<Lease, bool> isExpired, int maxSteals)
    {
        var byShard = leases.ToDictionary(l => l.ShardId, StringComparer.Ordinal);
        var ready = leases.Where(l => !l.IsFinished && ParentsFinished(l, byShard)).ToList();
        if (ready.Count == 0)
        {
            return [];
        }

        bool Live(Lease l) => l.Owner is not null && (l.Owner == workerId || !isExpired(l));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { [workerId] = 0 };
        foreach (var lease in ready.Where(Live))
        {
            counts[lease.Owner!] = counts.GetValueOrDefault(lease.Owner!) + 1;
        }

        var target = (ready.Count + counts.Count - 1) / counts.Count;
        var mine = counts[workerId];
        if (mine >= target)
        {
            return [];
        }

        var take = ready
            .Where(l => !Live(l))
            .OrderBy(l => l.Owner is null ? 0 : 1)
            .ThenBy(l => Depth(l, byShard))
            .ThenBy(l => l.ShardId, StringComparer.Ordinal)
            .Take(target - mine)
            .ToList();
        if (take.Count > 0)
        {
            return take;
        }

        var (loaded, loadedCount) = counts.Where(kv => kv.Key != workerId)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key, kv.Value))
            .FirstOrDefault();
        if (loaded is null || loadedCount <= target)
        {
            // Still steal one when the other worker holds two or more above us: ceil() can leave that gap.
            if (loaded is null || loadedCount - mine < 2)
            {
                return [];
            }
        }

        var steal = Math.Min(maxSteals, Math.Min(target - mine, Math.Max(1, loadedCount - target)));
        return ready
            .Where(l => l.Owner == loaded)
            .OrderByDescending(l => l.ShardId, StringComparer.Ordinal)
            .Take(steal)
            .ToList();
    }

    /// <summary>A shard may be read once every parent that still has a lease has reached SHARD_END.</summary>
    public static bool ParentsFinished(Lease lease, IReadOnlyDictionary<string, Lease> byShard) =>
        lease.ParentShardIds.All(p => !byShard.TryGetValue(p, out var parent) || parent.IsFinished);

    private static int Depth(Lease lease, IReadOnlyDictionary<string, Lease> byShard)
    {
        var depth = 0;
        var current = lease;
        while (depth < 1000 && current.ParentShardIds.Count > 0 && byShard.TryGetValue(current.ParentShardIds[0], out var parent))
        {
            depth++;
            current = parent;
        }

        return depth;
    }
}
