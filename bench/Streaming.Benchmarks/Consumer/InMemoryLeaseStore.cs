using Streaming.Core.Leases;

namespace Streaming.Benchmarks.Consumer;

/// <summary>A lease table in a dictionary, with the lease table's rules: every write but create is conditional on the counter and bumps it.</summary>
internal sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Dictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _writes;

    /// <summary>Conditional writes that succeeded.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    public Task EnsureTableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Lease>>(_leases.Values.OrderBy(l => l.ShardId, StringComparer.Ordinal).ToList());
        }
    }

    public Task<Lease?> GetAsync(string shardId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_leases.TryGetValue(shardId, out var lease) ? lease : null);
        }
    }

    public Task<bool> CreateIfAbsentAsync(Lease lease, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_leases.TryAdd(lease.ShardId, lease));
        }
    }

    public Task<LeaseWrite> TakeAsync(Lease lease, string owner, CancellationToken cancellationToken) => Write(lease, requireOwner: false, l => l with { Owner = owner });

    public Task<LeaseWrite> RenewAsync(Lease lease, CancellationToken cancellationToken) => Write(lease, requireOwner: true, l => l);

    public Task<LeaseWrite> CheckpointAsync(Lease lease, ShardPosition checkpoint, IReadOnlyDictionary<string, string> flushed, CancellationToken cancellationToken) =>
        Write(lease, requireOwner: true, l => l with { Checkpoint = checkpoint, Flushed = new Dictionary<string, string>(flushed, StringComparer.Ordinal) });

    public Task<LeaseWrite> ReleaseAsync(Lease lease, CancellationToken cancellationToken) => Write(lease, requireOwner: true, l => l with { Owner = null });

    private Task<LeaseWrite> Write(Lease lease, bool requireOwner, Func<Lease, Lease> change)
    {
        lock (_lock)
        {
            if (!_leases.TryGetValue(lease.ShardId, out var stored) || stored.Counter != lease.Counter || (requireOwner && stored.Owner != lease.Owner))
            {
                return Task.FromResult(LeaseWrite.Lost);
            }

            var updated = change(stored) with { Counter = stored.Counter + 1 };
            _leases[lease.ShardId] = updated;
            _writes++;
            return Task.FromResult(new LeaseWrite(updated));
        }
    }
}
