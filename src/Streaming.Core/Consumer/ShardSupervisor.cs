using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Streaming.Core.Diagnostics;
using Streaming.Core.Failures;
using Streaming.Core.Leases;

namespace Streaming.Core.Consumer;

/// <summary>
/// Runs this worker: a <see cref="LeaseTaker"/> round every take interval, a <see cref="LeaseRenewer"/> on its
/// own timer, and one shard consumer per held lease, each handed its own <see cref="ShardCheckpointer"/>. It
/// starts a consumer when a lease is taken and forgets it when it ends; a consumer whose lease is lost stops
/// without writing. On shutdown it stops taking, asks every consumer to stop (each writes what it buffered and
/// checkpoints), awaits them all in parallel within the shutdown timeout, and releases their leases so that
/// another worker takes them at once instead of after the failover time. A permanent failure anywhere (the
/// lease table or the bucket gone, access denied, a corrupt schema) stops the whole worker the same way, after
/// writing what can still be written, and <see cref="RunAsync"/> then throws <see cref="WorkerFailedException"/>
/// with one line that names the resource, the error and the fix.
/// </summary>
public sealed class ShardSupervisor
{
    private readonly ILeaseStore _store;
    private readonly Func<HeldLease, ShardCheckpointer, Task> _runShard;
    private readonly LeaseOptions _options;
    private readonly ConsumerOptions _consumer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LeaseTaker _taker;
    private readonly LeaseRenewer _renewer;
    private readonly ConcurrentDictionary<string, HeldLease> _held = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _fatal = new();

    public ShardSupervisor(ILeaseStore store, IStreamReader stream, Func<HeldLease, ShardCheckpointer, Task> runShard, LeaseOptions options, ConsumerOptions consumer, string workerId, TimeProvider time, ILogger logger, WorkerHealth? health = null, Diagnostics.ConsumerMetrics? metrics = null)
    {
        Health = health ?? new WorkerHealth();
        _store = store;
        _runShard = runShard;
        _options = options;
        _consumer = consumer;
        WorkerId = workerId;
        _time = time;
        _logger = logger;
        _taker = new LeaseTaker(store, stream, options, consumer, workerId, time, logger, metrics);
        _renewer = new LeaseRenewer(store, options, workerId, time, logger, () => _held.Values.ToList(), Health, FailPermanently, metrics);
    }

    public WorkerHealth Health { get; }

    public string WorkerId { get; }

    public IReadOnlyCollection<string> HeldShards => _held.Keys.ToList();

    /// <summary>Ready: joined the lease table, nothing failed for good, and the lease table and the lake answer (see <see cref="WorkerHealth"/>).</summary>
    public bool IsReady => Health.IsReady(out _);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> asks for a stop, then shuts down gracefully. Throws
    /// <see cref="WorkerFailedException"/> when a permanent failure stopped it instead.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _fatal.Token);
        var token = running.Token;
        using var renewStop = new CancellationTokenSource();
        var renewing = Task.CompletedTask;
        try
        {
            await _store.EnsureTableAsync(token).ConfigureAwait(false);
            renewing = _renewer.RunAsync(renewStop.Token);
            while (!token.IsCancellationRequested)
            {
                try
                {
                    await BalanceOnceAsync(token).ConfigureAwait(false);
                    Health.LeaseTableAnswered(joined: true);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is StreamThrottledException && FailureClassifier.Classify(e, token) == FailureKind.Transient)
                {
                    // The shard sync lists the stream's shards: Kinesis, not the lease table, did not answer.
                    ConsumerLog.ShardListingFailed(_logger, FailureClassifier.Describe(e));
                }
                catch (Exception e) when (FailureClassifier.Classify(e, token) == FailureKind.Transient)
                {
                    ConsumerLog.LeaseStoreUnavailable(_logger, FailureClassifier.Describe(e));
                    Health.LeaseTableFailed(e.Message);
                }
                catch (Exception e) when (FailureClassifier.Classify(e, token) == FailureKind.Permanent)
                {
                    FailPermanently(e);
                    break;
                }

                try
                {
                    await Task.Delay(_options.TakeInterval, _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (FailureClassifier.Classify(e, token) == FailureKind.Permanent)
        {
            // The lease table cannot be created or reached for good at start.
            FailPermanently(e);
        }
        finally
        {
            await ShutdownAsync().ConfigureAwait(false);
            await renewStop.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
        }

        if (Health.Failure is { } failure)
        {
            throw new WorkerFailedException(failure);
        }
    }

    /// <summary>Records a failure that waiting cannot fix and stops the worker: every consumer writes what it can and its lease is released.</summary>
    private void FailPermanently(Exception error)
    {
        var line = FailureClassifier.Describe(error);
        if (Health.Fail(line))
        {
            ConsumerLog.WorkerFailed(_logger, line);
            if (error is OutOfMemoryException)
            {
                ConsumerLog.OutOfMemory(_logger);
            }
        }

        _fatal.Cancel();
    }

    /// <summary>One round: take what the balancer says and start a consumer for each lease taken.</summary>
    public async Task BalanceOnceAsync(CancellationToken cancellationToken)
    {
        ForgetFinishedConsumers();
        foreach (var lease in await _taker.TakeAsync(_held.Keys.ToList(), cancellationToken).ConfigureAwait(false))
        {
            var held = new HeldLease(lease, _time.GetTimestamp());
            _held[held.ShardId] = held;
            var checkpointer = new ShardCheckpointer(_store, held, WorkerId, _time, _logger);
            held.Processor = Task.Run(() => RunShardAsync(held, checkpointer), CancellationToken.None);
        }
    }

    /// <summary>Creates a lease for every shard that has none (see <see cref="LeaseTaker.SyncShardsAsync"/>).</summary>
    public Task SyncShardsAsync(CancellationToken cancellationToken) => _taker.SyncShardsAsync(cancellationToken);

    /// <summary>Renews every held lease once (the renewer does this on its timer).</summary>
    public Task RenewAllAsync(CancellationToken cancellationToken) => _renewer.RenewAllAsync(cancellationToken);

    private async Task RunShardAsync(HeldLease held, ShardCheckpointer checkpointer)
    {
        try
        {
            await _runShard(held, checkpointer).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            if (held.MarkLost())
            {
                ConsumerLog.LeaseLost(_logger, WorkerId, held.ShardId);
            }
        }
        catch (OperationCanceledException) when (held.Stop.IsCancellationRequested || held.Lost.IsCancellationRequested)
        {
        }
        catch (Exception e) when (FailureClassifier.Classify(e) == FailureKind.Permanent)
        {
            FailPermanently(e);
        }
        catch (Exception e)
        {
            ConsumerLog.ShardFailed(_logger, held.ShardId, FailureClassifier.Describe(e), e);
        }
        finally
        {
            // Also after a lost lease: the release is conditional on the counter, so it only succeeds when nobody
            // took the lease meanwhile (a renewal that merely timed out), and then it frees it at once.
            await ReleaseAsync(held).ConfigureAwait(false);

            if (held.Current.IsFinished)
            {
                // A shard ended: its children may need leases now rather than at the next periodic sync.
                _taker.RequestShardSync();
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
            if (held.Released)
            {
                return;
            }

            var released = await _store.ReleaseAsync(held.Current, timeout.Token).ConfigureAwait(false);
            held.Released = true;
            if (released.Succeeded)
            {
                held.Current = released.Updated!;
                ConsumerLog.LeaseReleased(_logger, WorkerId, held.ShardId, held.Current.Checkpoint.ToString());
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not released: another worker will see the counter stand still and take it after the failover time.
            held.Released = true;
            ConsumerLog.LeaseStoreUnavailable(_logger, $"ReleaseLease of {held.ShardId}: {FailureClassifier.Describe(e)}");
        }
        finally
        {
            held.WriteLock.Release();
        }
    }

    private void ForgetFinishedConsumers()
    {
        foreach (var held in _held.Values.Where(h => h.Processor is { IsCompleted: true }).ToList())
        {
            _held.TryRemove(held.ShardId, out _);
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
