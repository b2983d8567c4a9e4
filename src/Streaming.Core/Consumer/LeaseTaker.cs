using Microsoft.Extensions.Logging;
using Streaming.Core.Diagnostics;
using Streaming.Core.Leases;

namespace Streaming.Core.Consumer;

/// <summary>
/// Creates leases for new shards and takes this worker's share of the lease table: expired and free leases
/// first, then a bounded number stolen from the most loaded worker (<see cref="LeaseBalancer"/>). Expiry is
/// judged on this worker's own monotonic clock (<see cref="LeaseObserver"/>). It only takes: running what it
/// took is the supervisor's business.
/// </summary>
public sealed class LeaseTaker
{
    private readonly ILeaseStore _store;
    private readonly IStreamReader _stream;
    private readonly LeaseOptions _options;
    private readonly ConsumerOptions _consumer;
    private readonly string _workerId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LeaseObserver _observer;
    private readonly Diagnostics.ConsumerMetrics? _metrics;
    private long _lastShardSync = long.MinValue;

    public LeaseTaker(ILeaseStore store, IStreamReader stream, LeaseOptions options, ConsumerOptions consumer, string workerId, TimeProvider time, ILogger logger, Diagnostics.ConsumerMetrics? metrics = null)
    {
        _metrics = metrics;
        _store = store;
        _stream = stream;
        _options = options;
        _consumer = consumer;
        _workerId = workerId;
        _time = time;
        _logger = logger;
        _observer = new LeaseObserver(time);
    }

    /// <summary>Makes the next round list the shards again (a shard ended: its children may need leases now).</summary>
    public void RequestShardSync() => Interlocked.Exchange(ref _lastShardSync, long.MinValue);

    /// <summary>
    /// One round: syncs shards when due, observes the table, and takes what the balancer says. Leases owned under
    /// this worker's id that are not in <paramref name="running"/> (a restart with a fixed worker id) count as free.
    /// Returns the leases taken.
    /// </summary>
    public async Task<IReadOnlyList<Lease>> TakeAsync(IReadOnlyCollection<string> running, CancellationToken cancellationToken)
    {
        var lastSync = Interlocked.Read(ref _lastShardSync);
        if (lastSync == long.MinValue || _time.GetElapsedTime(lastSync) >= _options.ShardSyncInterval)
        {
            await SyncShardsAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastShardSync, _time.GetTimestamp());
        }

        var leases = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        _observer.Observe(leases);
        var view = leases.Select(l => l.Owner == _workerId && !running.Contains(l.ShardId) ? l with { Owner = null } : l).ToList();
        var choices = LeaseBalancer.ChooseLeasesToTake(view, _workerId, l => _observer.IsExpired(l, _options.FailoverTime), _options.MaxStealsPerRound);
        var taken = new List<Lease>();
        foreach (var choice in choices)
        {
            var stored = leases.First(l => l.ShardId == choice.ShardId);
            var written = await _store.TakeAsync(stored, _workerId, cancellationToken).ConfigureAwait(false);
            if (written.Succeeded)
            {
                ConsumerLog.LeaseTaken(_logger, _workerId, stored.ShardId, stored.Checkpoint.ToString(), stored.Owner);
                taken.Add(written.Updated!);
            }
        }

        return taken;
    }

    /// <summary>Creates a lease for every shard that has none. Children always start at TRIM_HORIZON.</summary>
    public async Task SyncShardsAsync(CancellationToken cancellationToken)
    {
        var shards = await _stream.ListShardsAsync(cancellationToken).ConfigureAwait(false);
        if (_metrics is not null)
        {
            _metrics.OpenShards = shards.Count(s => s.IsOpen);
        }

        var known = shards.Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
        var existing = (await _store.ListAsync(cancellationToken).ConfigureAwait(false)).Select(l => l.ShardId).ToHashSet(StringComparer.Ordinal);
        foreach (var shard in shards.Where(s => !existing.Contains(s.ShardId)))
        {
            var isChild = shard.ParentShardIds.Any(p => known.Contains(p) || existing.Contains(p));
            var start = isChild ? ShardPosition.TrimHorizon : InitialPosition();
            if (await _store.CreateIfAbsentAsync(Lease.New(shard.ShardId, start, shard.ParentShardIds), cancellationToken).ConfigureAwait(false))
            {
                ConsumerLog.LeaseCreated(_logger, shard.ShardId, shard.ParentShardIds.Count == 0 ? "none" : string.Join(", ", shard.ParentShardIds), start.ToString());
            }
        }
    }

    private ShardPosition InitialPosition() => _consumer.InitialPosition switch
    {
        "LATEST" => ShardPosition.Latest,
        "AT_TIMESTAMP" => ShardPosition.AtTimestamp,
        _ => ShardPosition.TrimHorizon,
    };
}
