namespace Streaming.Core.Leases;

/// <summary>
/// Remembers, for every lease, when its counter last moved on this worker's monotonic clock. A lease is
/// expired when its counter has stood still for the failover time; wall clocks are never compared, so clock
/// skew between workers cannot expire a live lease.
/// </summary>
public sealed class LeaseObserver
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (long Counter, long SeenAt)> _seen = new(StringComparer.Ordinal);

    public LeaseObserver(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Records a scan of the table; leases that disappeared are forgotten.</summary>
    public void Observe(IEnumerable<Lease> leases)
    {
        var now = _time.GetTimestamp();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lease in leases)
        {
            present.Add(lease.ShardId);
            if (!_seen.TryGetValue(lease.ShardId, out var seen) || seen.Counter != lease.Counter)
            {
                _seen[lease.ShardId] = (lease.Counter, now);
            }
        }

        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }
    }

    /// <summary>True when the lease's counter has not moved for <paramref name="failover"/> since this worker first saw it.</summary>
    public bool IsExpired(Lease lease, TimeSpan failover) =>
        _seen.TryGetValue(lease.ShardId, out var seen) && seen.Counter == lease.Counter && _time.GetElapsedTime(seen.SeenAt) >= failover;
}
