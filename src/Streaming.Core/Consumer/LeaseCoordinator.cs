using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Streaming.Core.Diagnostics;
using Streaming.Core.Leases;

namespace Streaming.Core.Consumer;

/// <summary>
/// Holds this worker's leases: creates leases for new shards, takes its share (<see cref="LeaseBalancer"/>),
/// renews on a timer of its own, stops a shard's processing the moment its lease is lost, and on shutdown
/// stops taking, lets every processor flush and checkpoint, then releases the leases so that another worker
/// takes them at once instead of after the failover time.
/// </summary>
public sealed class LeaseCoordinator
{
    private readonly ILeaseStore _store;
    private readonly IStreamReader _stream;
    private readonly Func<HeldLease, Task> _runShard;
    private readonly LeaseOptions _options;
    private readonly ConsumerOptions _consumer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LeaseObserver _observer;
    private readonly ConcurrentDictionary<string, HeldLease> _held = new(StringComparer.Ordinal);
    private long _lastShardSync = long.MinValue;

    public LeaseCoordinator(ILeaseStore store, IStreamReader stream, Func<HeldLease, Task> runShard, LeaseOptions options, ConsumerOptions consumer, string workerId, TimeProvider time, ILogger logger)
    {
        _store = store;
        _stream = stream;
        _runShard = runShard;
        _options = options;
        _consumer = consumer;
        WorkerId = workerId;
        _time = time;
        _logger = logger;
        _observer = new LeaseObserver(time);
    }

    public string WorkerId { get; }

    public IReadOnlyCollection<string> HeldShards => _held.Keys.ToList();

    /// <summary>True once the lease table answered and shards were synced: the worker is acquiring or holding leases.</summary>
    public bool IsReady { get; private set; }

    /// <summary>Runs until <paramref name="cancellationToken"/> asks for a stop, then shuts down gracefully.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _store.EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        using var renewStop = new CancellationTokenSource();
        var renewing = RenewLoopAsync(renewStop.Token);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await BalanceOnceAsync(cancellationToken).ConfigureAwait(false);
                    IsReady = true;
                }
                catch (LeaseStoreUnavailableException e)
                {
                    ConsumerLog.LeaseStoreUnavailable(_logger, e.Message);
                }

                try
                {
                    await Task.Delay(_options.TakeInterval, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            await ShutdownAsync().ConfigureAwait(false);
            await renewStop.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
        }
    }

    /// <summary>One round: sync shards when due, observe the table, take what the balancer says.</summary>
    public async Task BalanceOnceAsync(CancellationToken cancellationToken)
    {
        var lastSync = Interlocked.Read(ref _lastShardSync);
        if (lastSync == long.MinValue || _time.GetElapsedTime(lastSync) >= _options.ShardSyncInterval)
        {
            await SyncShardsAsync(cancellationToken).ConfigureAwait(false);
            _lastShardSync = _time.GetTimestamp();
        }

        var leases = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        _observer.Observe(leases);
        ForgetFinishedProcessors();

        // A lease owned under our id that we do not run (a restart with a fixed worker id) is free to us.
        var view = leases.Select(l => l.Owner == WorkerId && !_held.ContainsKey(l.ShardId) ? l with { Owner = null } : l).ToList();
        var choices = LeaseBalancer.ChooseLeasesToTake(view, WorkerId, l => _observer.IsExpired(l, _options.FailoverTime), _options.MaxStealsPerRound);
        foreach (var choice in choices)
        {
            var stored = leases.First(l => l.ShardId == choice.ShardId);
            var taken = await _store.TakeAsync(stored, WorkerId, cancellationToken).ConfigureAwait(false);
            if (!taken.Succeeded)
            {
                continue;
            }

            ConsumerLog.LeaseTaken(_logger, WorkerId, stored.ShardId, stored.Checkpoint.ToString(), stored.Owner);
            var held = new HeldLease(taken.Updated!, _time.GetTimestamp());
            _held[held.ShardId] = held;
            held.Processor = Task.Run(() => RunShardAsync(held), CancellationToken.None);
        }
    }

    /// <summary>Creates a lease for every shard that has none. Children always start at TRIM_HORIZON.</summary>
    public async Task SyncShardsAsync(CancellationToken cancellationToken)
    {
        var shards = await _stream.ListShardsAsync(cancellationToken).ConfigureAwait(false);
        var known = shards.Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
        var existing = (await _store.ListAsync(cancellationToken).ConfigureAwait(false)).Select(l => l.ShardId).ToHashSet(StringComparer.Ordinal);
        foreach (var shard in shards.Where(s => !existing.Contains(s.ShardId)))
        {
            var isChild = shard.ParentShardIds.Any(p => known.Contains(p) || existing.Contains(p));
            var start = isChild ? ShardPosition.TrimHorizon : InitialPosition();
            if (await _store.CreateIfAbsentAsync(Lease.New(shard.ShardId, start, shard.ParentShardIds), cancellationToken).ConfigureAwait(false))
            {
                ConsumerLog.LeaseCreated(_logger, shard.ShardId, string.Join(",", shard.ParentShardIds), start.ToString());
            }
        }
    }

    /// <summary>Writes a shard's progress (checkpoint and per-partition runs), if this worker still holds its lease.</summary>
    public async Task WriteProgressAsync(HeldLease held, ShardPosition checkpoint, IReadOnlyDictionary<string, string> progress, CancellationToken cancellationToken)
    {
        if (held.Lost.IsCancellationRequested)
        {
            throw new LeaseLostException(held.ShardId);
        }

        await held.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var written = await _store.CheckpointAsync(held.Current, checkpoint, progress, cancellationToken).ConfigureAwait(false);
            if (!written.Succeeded)
            {
                MarkLost(held);
                throw new LeaseLostException(held.ShardId);
            }

            held.Current = written.Updated!;
            held.LastRenewed = _time.GetTimestamp();
        }
        finally
        {
            held.WriteLock.Release();
        }
    }

    private ShardPosition InitialPosition() => _consumer.InitialPosition switch
    {
        "LATEST" => ShardPosition.Latest,
        "AT_TIMESTAMP" => ShardPosition.AtTimestamp,
        _ => ShardPosition.TrimHorizon,
    };

    private async Task RunShardAsync(HeldLease held)
    {
        try
        {
            await _runShard(held).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            MarkLost(held);
        }
        catch (OperationCanceledException) when (held.Stop.IsCancellationRequested || held.Lost.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            ConsumerLog.ShardFailed(_logger, held.ShardId, e);
        }
        finally
        {
            if (!held.Lost.IsCancellationRequested)
            {
                await ReleaseAsync(held).ConfigureAwait(false);
            }

            if (held.Current.IsFinished)
            {
                // A shard ended: its children may need leases now rather than at the next periodic sync.
                Interlocked.Exchange(ref _lastShardSync, long.MinValue);
            }

            _held.TryRemove(held.ShardId, out _);
        }
    }

    private async Task ReleaseAsync(HeldLease held)
    {
        await held.WriteLock.WaitAsync().ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
            var released = await _store.ReleaseAsync(held.Current, timeout.Token).ConfigureAwait(false);
            if (released.Succeeded)
            {
                held.Current = released.Updated!;
                ConsumerLog.LeaseReleased(_logger, WorkerId, held.ShardId, held.Current.Checkpoint.ToString());
            }
        }
        catch (Exception e) when (e is LeaseStoreUnavailableException or OperationCanceledException)
        {
            // Not released: another worker will see the counter stand still and take it after the failover time.
            ConsumerLog.LeaseStoreUnavailable(_logger, e.Message);
        }
        finally
        {
            held.WriteLock.Release();
        }
    }

    private void MarkLost(HeldLease held)
    {
        if (!held.Lost.IsCancellationRequested)
        {
            ConsumerLog.LeaseLost(_logger, WorkerId, held.ShardId);
            held.Lost.Cancel();
        }
    }

    private void ForgetFinishedProcessors()
    {
        foreach (var held in _held.Values.Where(h => h.Processor is { IsCompleted: true }).ToList())
        {
            _held.TryRemove(held.ShardId, out _);
        }
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.RenewInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var held in _held.Values.ToList())
                {
                    await RenewAsync(held, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RenewAsync(HeldLease held, CancellationToken cancellationToken)
    {
        if (held.Lost.IsCancellationRequested)
        {
            return;
        }

        await held.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // One renewal may not take longer than the renew interval, or the next one falls behind.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RenewInterval);
            var renewed = await _store.RenewAsync(held.Current, timeout.Token).ConfigureAwait(false);
            if (renewed.Succeeded)
            {
                held.Current = renewed.Updated!;
                held.LastRenewed = _time.GetTimestamp();
            }
            else
            {
                MarkLost(held);
            }
        }
        catch (Exception e) when (e is LeaseStoreUnavailableException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            ConsumerLog.LeaseStoreUnavailable(_logger, e.Message);

            // Others call the lease expired after the failover time without a counter change; stop before that.
            if (_time.GetElapsedTime(held.LastRenewed) >= _options.FailoverTime - _options.RenewInterval)
            {
                MarkLost(held);
            }
        }
        finally
        {
            held.WriteLock.Release();
        }
    }

    private async Task ShutdownAsync()
    {
        foreach (var held in _held.Values)
        {
            await held.Stop.CancelAsync().ConfigureAwait(false);
        }

        var running = _held.Values.Select(h => h.Processor).OfType<Task>().ToArray();
        using var timeout = new CancellationTokenSource(_consumer.ShutdownTimeout, _time);
        try
        {
            await Task.WhenAll(running).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Past the shutdown timeout: leases not released expire for the other workers.
        }
    }
}
