namespace Streaming.Core.Leases;

/// <summary>
/// The lease table (DynamoDB in production). Conditional writes return <see cref="LeaseWrite.Lost"/> when the
/// stored counter (or owner) is not what the caller had: someone else wrote first. Outages and throttling
/// surface as <see cref="LeaseStoreUnavailableException"/>, never as a lost lease.
/// </summary>
public interface ILeaseStore
{
    /// <summary>Creates the table if it is missing (on-demand billing) and waits until it can be used.</summary>
    Task EnsureTableAsync(CancellationToken cancellationToken);

    /// <summary>Every lease, read consistently.</summary>
    Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken);

    Task<Lease?> GetAsync(string shardId, CancellationToken cancellationToken);

    /// <summary>Creates the lease unless one exists for the shard; returns false when it already existed.</summary>
    Task<bool> CreateIfAbsentAsync(Lease lease, CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="owner"/> the owner, if the stored counter is still <paramref name="lease"/>.Counter.</summary>
    Task<LeaseWrite> TakeAsync(Lease lease, string owner, CancellationToken cancellationToken);

    /// <summary>Bumps the counter, if the caller still owns the lease at that counter.</summary>
    Task<LeaseWrite> RenewAsync(Lease lease, CancellationToken cancellationToken);

    /// <summary>Stores a new checkpoint and flushed map, if the caller still owns the lease at that counter.</summary>
    Task<LeaseWrite> CheckpointAsync(Lease lease, ShardPosition checkpoint, IReadOnlyDictionary<string, string> flushed, CancellationToken cancellationToken);

    /// <summary>Clears the owner (and bumps the counter), if the caller still owns the lease at that counter.</summary>
    Task<LeaseWrite> ReleaseAsync(Lease lease, CancellationToken cancellationToken);
}
