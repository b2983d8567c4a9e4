using System.Collections.Concurrent;
using Streaming.Core.Leases;

namespace Streaming.Core.Tests.Support;

/// <summary>A lease table in a dictionary with the same conditional-write rules; can be made unavailable.</summary>
internal sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    public bool Unavailable { get; set; }

    public int Writes { get; private set; }

    public Lease this[string shardId] => _leases[shardId];

    public Task EnsureTableAsync(CancellationToken cancellationToken) => Check(Task.CompletedTask);

    public Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken) =>
        Check(Task.FromResult<IReadOnlyList<Lease>>(_leases.Values.OrderBy(l => l.ShardId, StringComparer.Ordinal).ToList()));

    public Task<Lease?> GetAsync(string shardId, CancellationToken cancellationToken) =>
        Check(Task.FromResult(_leases.TryGetValue(shardId, out var l) ? l : null));

    public Task<bool> CreateIfAbsentAsync(Lease lease, CancellationToken cancellationToken) => Check(Task.FromResult(_leases.TryAdd(lease.ShardId, lease)));

    public Task<LeaseWrite> TakeAsync(Lease lease, string owner, CancellationToken cancellationToken) =>
        Write(lease, requireOwner: false, l => l with { Owner = owner });

    public Task<LeaseWrite> RenewAsync(Lease lease, CancellationToken cancellationToken) => Write(lease, requireOwner: true, l => l);

    public Task<LeaseWrite> CheckpointAsync(Lease lease, ShardPosition checkpoint, IReadOnlyDictionary<string, string> flushed, CancellationToken cancellationToken)
    {
        // DynamoDB refuses an item over 400 KB (names and values in UTF-8): so does this table.
        var bytes = flushed.Sum(kv => System.Text.Encoding.UTF8.GetByteCount(kv.Key) + System.Text.Encoding.UTF8.GetByteCount(kv.Value) + 8) + 512;
        if (bytes > 400 * 1024)
        {
            throw new InvalidOperationException($"the lease item of {lease.ShardId} would be {bytes} bytes, more than DynamoDB's 400 KB");
        }

        LargestItemBytes = Math.Max(LargestItemBytes, bytes);
        return Write(lease, requireOwner: true, l => l with { Checkpoint = checkpoint, Flushed = new Dictionary<string, string>(flushed) });
    }

    /// <summary>The largest lease item a checkpoint wrote, in bytes (as DynamoDB counts them, roughly).</summary>
    public int LargestItemBytes { get; private set; }

    public Task<LeaseWrite> ReleaseAsync(Lease lease, CancellationToken cancellationToken) => Write(lease, requireOwner: true, l => l with { Owner = null });

    /// <summary>Another worker's write: bumps the counter behind the holder's back.</summary>
    public void Steal(string shardId, string owner) => _leases[shardId] = _leases[shardId] with { Owner = owner, Counter = _leases[shardId].Counter + 1 };

    private Task<LeaseWrite> Write(Lease lease, bool requireOwner, Func<Lease, Lease> change)
    {
        if (Unavailable)
        {
            throw new LeaseStoreUnavailableException("the lease table is down");
        }

        lock (_leases)
        {
            var stored = _leases[lease.ShardId];
            if (stored.Counter != lease.Counter || (requireOwner && stored.Owner != lease.Owner))
            {
                return Task.FromResult(LeaseWrite.Lost);
            }

            var updated = change(stored) with { Counter = stored.Counter + 1 };
            _leases[lease.ShardId] = updated;
            Writes++;
            return Task.FromResult(new LeaseWrite(updated));
        }
    }

    private Task<T> Check<T>(Task<T> result) => Unavailable ? throw new LeaseStoreUnavailableException("the lease table is down") : result;

    private Task Check(Task result) => Unavailable ? throw new LeaseStoreUnavailableException("the lease table is down") : result;
}
