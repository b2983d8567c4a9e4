using Microsoft.Extensions.Logging;
using Streaming.Core.Diagnostics;
using Streaming.Core.Leases;

namespace Streaming.Core.Consumer;

/// <summary>
/// Renews every held lease on a timer of its own, away from reading and encoding, so a busy shard cannot let
/// its lease expire. A renewal that finds the counter moved, or that cannot reach the lease table for nearly
/// the failover time, marks the lease lost: its consumer stops without writing.
/// </summary>
public sealed class LeaseRenewer
{
    private readonly ILeaseStore _store;
    private readonly LeaseOptions _options;
    private readonly string _workerId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<IReadOnlyCollection<HeldLease>> _held;
    private readonly Failures.WorkerHealth _health;
    private readonly Action<Exception> _onPermanent;
    private readonly Diagnostics.ConsumerMetrics? _metrics;

    public LeaseRenewer(ILeaseStore store, LeaseOptions options, string workerId, TimeProvider time, ILogger logger, Func<IReadOnlyCollection<HeldLease>> held, Failures.WorkerHealth? health = null, Action<Exception>? onPermanent = null, Diagnostics.ConsumerMetrics? metrics = null)
    {
        _metrics = metrics;
        _onPermanent = onPermanent ?? (_ => { });
        _health = health ?? new Failures.WorkerHealth();
        _store = store;
        _options = options;
        _workerId = workerId;
        _time = time;
        _logger = logger;
        _held = held;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.RenewInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await RenewAllAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Renews every held lease once, all at the same time.</summary>
    public Task RenewAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_held().Select(h => RenewAsync(h, cancellationToken)));

    private async Task RenewAsync(HeldLease held, CancellationToken cancellationToken)
    {
        if (held.Lost.IsCancellationRequested)
        {
            return;
        }

        await held.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (held.Released || held.Lost.IsCancellationRequested)
            {
                // Released (or lost) while this renewal waited for the lock: the lease is no longer ours to write.
                return;
            }

            // One renewal may not take longer than the renew interval, or the next one falls behind.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RenewInterval);
            var renewed = await _store.RenewAsync(held.Current, timeout.Token).ConfigureAwait(false);
            if (renewed.Succeeded)
            {
                held.Current = renewed.Updated!;
                held.LastRenewed = _time.GetTimestamp();
                _health.LeaseTableAnswered();
            }
            else
            {
                MarkLost(held);
            }
        }
        catch (Exception e) when (e is LeaseStoreUnavailableException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var problem = e is OperationCanceledException ? $"RenewLease took longer than the renew interval ({_options.RenewInterval.TotalSeconds:0.#} s)" : e.Message;
            ConsumerLog.LeaseStoreUnavailable(_logger, problem);
            _health.LeaseTableFailed(problem);
            _metrics?.WriteFailures.Add(1, new KeyValuePair<string, object?>("target", "lease_table"), new KeyValuePair<string, object?>("shard", held.ShardId));

            // Others call the lease expired after the failover time without a counter change; stop before that.
            if (_time.GetElapsedTime(held.LastRenewed) >= _options.FailoverTime - _options.RenewInterval)
            {
                MarkLost(held);
            }
        }
        catch (Exception e) when (Failures.FailureClassifier.Classify(e, cancellationToken) == Failures.FailureKind.Permanent)
        {
            // The table is gone or access was revoked: no renewal will ever succeed; the worker stops.
            MarkLost(held);
            _onPermanent(e);
        }
        finally
        {
            held.WriteLock.Release();
        }
    }

    private void MarkLost(HeldLease held)
    {
        if (held.MarkLost())
        {
            ConsumerLog.LeaseLost(_logger, _workerId, held.ShardId);
        }
    }
}
