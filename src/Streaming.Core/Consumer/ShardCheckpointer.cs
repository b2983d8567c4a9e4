using Microsoft.Extensions.Logging;
using Streaming.Core.Diagnostics;
using Streaming.Core.Leases;

namespace Streaming.Core.Consumer;

/// <summary>
/// A shard consumer's only way to write its lease: checkpoint and per-partition progress, conditional on the
/// lease counter. Handed to the consumer by the supervisor (as the Kinesis Client Library hands a record
/// processor its checkpointer), so the consumer never calls back into the supervisor. A write that finds the
/// counter moved means another worker took the lease: it marks the lease lost and throws
/// <see cref="LeaseLostException"/>.
/// </summary>
public sealed class ShardCheckpointer
{
    private readonly ILeaseStore _store;
    private readonly HeldLease _held;
    private readonly string _workerId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ShardCheckpointer(ILeaseStore store, HeldLease held, string workerId, TimeProvider time, ILogger logger)
    {
        _store = store;
        _held = held;
        _workerId = workerId;
        _time = time;
        _logger = logger;
    }

    public string ShardId => _held.ShardId;

    /// <summary>The lease as last written.</summary>
    public Lease Current => _held.Current;

    /// <summary>Cancelled when the lease is lost.</summary>
    public CancellationToken Lost => _held.Lost.Token;

    /// <summary>Stores <paramref name="checkpoint"/> and <paramref name="progress"/>, if this worker still holds the lease.</summary>
    public async Task WriteAsync(ShardPosition checkpoint, IReadOnlyDictionary<string, string> progress, CancellationToken cancellationToken)
    {
        if (_held.Lost.IsCancellationRequested)
        {
            throw new LeaseLostException(_held.ShardId);
        }

        await _held.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var written = await _store.CheckpointAsync(_held.Current, checkpoint, progress, cancellationToken).ConfigureAwait(false);
            if (!written.Succeeded)
            {
                if (_held.MarkLost())
                {
                    ConsumerLog.LeaseLost(_logger, _workerId, _held.ShardId);
                }

                throw new LeaseLostException(_held.ShardId);
            }

            _held.Current = written.Updated!;
            _held.LastRenewed = _time.GetTimestamp();
        }
        finally
        {
            _held.WriteLock.Release();
        }
    }
}
