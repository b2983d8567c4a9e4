using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Logging;
using Streaming.Core.Configuration;
using Streaming.Core.Decoding.Kpl;
using Streaming.Core.Diagnostics;
using Streaming.Core.Lake;
using Streaming.Core.Leases;
using Streaming.Core.Schema;

namespace Streaming.Core.Consumer;

/// <summary>
/// Reads one shard into the lake while this worker holds its lease: resumes from the checkpoint, replays with
/// the lease's per-partition progress as filter, writes files through the two-step journal, advances the
/// checkpoint only below what is durable, and marks SHARD_END when a closed shard is fully written
/// (docs/exactly-once.md). One processor per held lease; the CPU work of all of them is serialised by a gate.
/// </summary>
public sealed class ShardProcessor : IFlushJournal
{
    private readonly HeldLease _held;
    private readonly LeaseCoordinator _coordinator;
    private readonly IStreamReader _stream;
    private readonly ConsumerOptions _options;
    private readonly SemaphoreSlim _gate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LakeWriter _writer;
    private readonly ShardProgress _progress;
    private readonly List<KplUserRecord> _userRecords = [];
    private ShardPosition _lastComplete;
    private BigInteger _skipSequence = BigInteger.MinusOne;
    private long _skipSubSequence;
    private long _lastProgressWrite;
    private readonly ConsumerMetrics? _consumerMetrics;
    private readonly KeyValuePair<string, object?> _shardTag;
    private ShardGauges? _gauges;

    public ShardProcessor(
        HeldLease held,
        LeaseCoordinator coordinator,
        IStreamReader stream,
        ILakeStore store,
        IColumnarFileWriter fileWriter,
        LakeOptions lakeOptions,
        SchemaRegistry schemas,
        ConsumerOptions options,
        SemaphoreSlim gate,
        TimeProvider time,
        ILogger logger,
        LakeMetrics? metrics = null,
        MemoryAccount? memory = null,
        ConsumerMetrics? consumerMetrics = null)
    {
        _consumerMetrics = consumerMetrics;
        _shardTag = new KeyValuePair<string, object?>("shard", held.ShardId);
        _held = held;
        _coordinator = coordinator;
        _stream = stream;
        _options = options;
        _gate = gate;
        _time = time;
        _logger = logger;
        var withAge = lakeOptions.WithStreamDefaults(options.MaxBufferAge, options.HourCloseGrace);
        _writer = LakeWriter.Create(store, fileWriter, withAge, schemas, time, logger, metrics);
        _progress = ShardProgress.Parse(held.Current.Flushed);
        _writer.Journal = this;
        _writer.SharedMemory = memory;
        _writer.Replay = _progress.IsEmpty ? null : _progress;
        _lastComplete = held.Current.Checkpoint;
        _lastProgressWrite = time.GetTimestamp();
    }

    public string ShardId => _held.ShardId;

    public LakeWriterStats Stats => _writer.Stats;

    public long? MillisBehindLatest { get; private set; }

    public async Task RunAsync()
    {
        _gauges = _consumerMetrics?.Track(ShardId);
        try
        {
            await ReadAsync().ConfigureAwait(false);
        }
        finally
        {
            _writer.ReleaseSharedMemory();
            _consumerMetrics?.Untrack(ShardId);
        }
    }

    private async Task ReadAsync()
    {
        if (_held.Current.IsFinished)
        {
            return;
        }

        using var reading = CancellationTokenSource.CreateLinkedTokenSource(_held.Lost.Token, _held.Stop.Token);
        string? iterator;
        try
        {
            iterator = await GetIteratorAsync(Start(), reading.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
            return;
        }
        catch (ShardGoneException)
        {
            // Nothing can be read any more: finish it, so that its children (if any) can be read.
            await FinishShardAsync().ConfigureAwait(false);
            return;
        }

        var backoff = TimeSpan.Zero;
        while (!reading.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            RecordBatch batch;
            try
            {
                batch = await _stream.GetRecordsAsync(iterator!, reading.Token).ConfigureAwait(false);
                backoff = TimeSpan.Zero;
            }
            catch (StreamThrottledException)
            {
                backoff = backoff == TimeSpan.Zero ? _options.ReadInterval : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                var jittered = backoff * (0.5 + (Random.Shared.NextDouble() / 2));
                ConsumerLog.Throttled(_logger, ShardId, jittered);
                try
                {
                    await DelayAsync(jittered, reading.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (reading.IsCancellationRequested)
                {
                    break;
                }

                continue;
            }
            catch (IteratorExpiredException)
            {
                ConsumerLog.IteratorExpired(_logger, ShardId, _lastComplete.ToString());
                try
                {
                    iterator = await GetIteratorAsync(Start(), reading.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (reading.IsCancellationRequested)
                {
                    break;
                }

                continue;
            }
            catch (OperationCanceledException) when (reading.IsCancellationRequested)
            {
                break;
            }

            MillisBehindLatest = batch.MillisBehindLatest;
            Observe(batch);
            try
            {
                await _gate.WaitAsync(reading.Token).ConfigureAwait(false);
                try
                {
                    await ProcessAsync(batch, reading.Token).ConfigureAwait(false);
                }
                finally
                {
                    _gate.Release();
                }
            }
            catch (OperationCanceledException) when (reading.IsCancellationRequested)
            {
                // Stopping or lost: a write cut short is redone by the graceful stop or by the next owner.
                break;
            }

            if (batch.NextIterator is null)
            {
                await FinishShardAsync().ConfigureAwait(false);
                return;
            }

            iterator = batch.NextIterator;
            var wait = (batch.Records.Count == 0 ? _options.IdleInterval : _options.ReadInterval) - _time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await DelayAsync(wait, reading.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (reading.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        if (_held.Lost.IsCancellationRequested)
        {
            throw new LeaseLostException(ShardId);
        }

        await StopGracefullyAsync().ConfigureAwait(false);
    }

    /// <summary>Appends a batch's events and writes whatever becomes due. Called under the gate.</summary>
    public async Task ProcessAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        foreach (var record in batch.Records)
        {
            var sequence = BigInteger.Parse(record.Sequence, CultureInfo.InvariantCulture);
            if (_lastComplete.IsSentinel)
            {
                // Started from LATEST or AT_TIMESTAMP: pin the start, or a restart would begin somewhere else.
                _lastComplete = ShardPosition.Before(record.Sequence);
                await WriteProgressAsync(_lastComplete, cancellationToken).ConfigureAwait(false);
            }

            _userRecords.Clear();
            if (!KplAggregate.TryDeaggregate(record.Data, _userRecords))
            {
                Append(record, sequence, 0, record.Data);
            }
            else
            {
                foreach (var user in _userRecords)
                {
                    Append(record, sequence, user.SubSequenceNumber, user.Data);
                }
            }

            if (_writer.FlushPending)
            {
                await WithRetryAsync(ct => _writer.FlushDueAsync(ct), cancellationToken).ConfigureAwait(false);
            }
        }

        _writer.CheckAge();
        if (_writer.FlushPending)
        {
            await WithRetryAsync(ct => _writer.FlushDueAsync(ct), cancellationToken).ConfigureAwait(false);
        }

        // Nothing buffered and the checkpoint behind: move it, at most every few seconds.
        if (!_writer.HasOpenBuffers && _lastComplete != _held.Current.Checkpoint && _time.GetElapsedTime(_lastProgressWrite) >= TimeSpan.FromSeconds(5))
        {
            await WriteProgressAsync(_lastComplete, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Observe(RecordBatch batch)
    {
        if (_consumerMetrics is null || _gauges is null)
        {
            return;
        }

        _consumerMetrics.RecordsRead.Add(batch.Records.Count, _shardTag);
        _consumerMetrics.BytesRead.Add(batch.Records.Sum(r => (long)r.Data.Length), _shardTag);
        _gauges.MillisBehindLatest = batch.MillisBehindLatest ?? 0;
        _gauges.OpenBuffers = _writer.OpenPartitions;
        _gauges.BufferedBytes = _writer.BufferedBytes;
    }

    private void Append(StreamRecord record, BigInteger sequence, long subSequence, ReadOnlyMemory<byte> data)
    {
        if (sequence < _skipSequence || (sequence == _skipSequence && subSequence <= _skipSubSequence))
        {
            return;
        }

        _writer.ResumePoint = _lastComplete;
        _writer.AppendPayload(data, ShardId, record.Sequence, record.ArrivalTime.ToUnixTimeMilliseconds(), subSequence);
        _lastComplete = ShardPosition.At(record.Sequence, subSequence);
    }

    public async Task BeforeWriteAsync(FileIntent intent, CancellationToken cancellationToken)
    {
        _progress.BeginFile(intent.Partition, EventPosition.From(intent.First), EventPosition.From(intent.Last));
        await WriteProgressAsync(_held.Current.Checkpoint, cancellationToken).ConfigureAwait(false);
    }

    public async Task AfterWriteAsync(FileIntent intent, CancellationToken cancellationToken)
    {
        _progress.EndFile(intent.Partition, EventPosition.From(intent.Last));
        await WriteProgressAsync(SafeCheckpoint(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The furthest position below which every event is in the lake.</summary>
    private ShardPosition SafeCheckpoint() => _writer.OldestResumePoint is ShardPosition oldest ? oldest : _lastComplete;

    private async Task WriteProgressAsync(ShardPosition checkpoint, CancellationToken cancellationToken)
    {
        if (!checkpoint.IsSentinel && checkpoint.SubSequence >= 0)
        {
            _progress.Prune(new EventPosition(BigInteger.Parse(checkpoint.Sequence, CultureInfo.InvariantCulture), checkpoint.SubSequence, long.MaxValue));
        }

        var moved = checkpoint != _held.Current.Checkpoint;
        await _coordinator.WriteProgressAsync(_held, checkpoint, _progress.Encode(), cancellationToken).ConfigureAwait(false);
        _lastProgressWrite = _time.GetTimestamp();
        if (moved && _gauges is not null)
        {
            _gauges.LastCheckpoint = _lastProgressWrite;
        }
    }

    private async Task FinishShardAsync()
    {
        using var timeout = new CancellationTokenSource(_options.ShutdownTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _held.Lost.Token);
        await _gate.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            await WithRetryAsync(ct => _writer.FlushAllAsync(FlushReason.Shutdown, ct), linked.Token).ConfigureAwait(false);
            if (_writer.HasOpenBuffers)
            {
                // A run an earlier owner started cannot be cut: leave it to the next owner rather than finish.
                await WriteProgressAsync(SafeCheckpoint(), linked.Token).ConfigureAwait(false);
                return;
            }

            await _coordinator.WriteProgressAsync(_held, ShardPosition.ShardEnd, new Dictionary<string, string>(), linked.Token).ConfigureAwait(false);
            ConsumerLog.ShardEnded(_logger, ShardId);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StopGracefullyAsync()
    {
        using var timeout = new CancellationTokenSource(_options.ShutdownTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _held.Lost.Token);
        await _gate.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            await WithRetryAsync(ct => _writer.FlushAllAsync(FlushReason.Shutdown, ct), linked.Token).ConfigureAwait(false);
            var checkpoint = SafeCheckpoint();
            await WriteProgressAsync(checkpoint, linked.Token).ConfigureAwait(false);
            ConsumerLog.ShardStopped(_logger, ShardId, checkpoint.ToString(), "stopping");
        }
        finally
        {
            _gate.Release();
        }
    }

    private StartingPosition Start()
    {
        var from = _lastComplete;
        if (from.IsSentinel)
        {
            return from.Sequence switch
            {
                ShardPosition.LatestValue => StartingPosition.Latest,
                ShardPosition.AtTimestampValue => StartingPosition.AtTime(_options.InitialTimestamp ?? DateTimeOffset.UnixEpoch),
                _ => StartingPosition.TrimHorizon,
            };
        }

        // Resume at the record itself and skip its user records up to the checkpoint's sub-sequence.
        _skipSequence = BigInteger.Parse(from.Sequence, CultureInfo.InvariantCulture);
        _skipSubSequence = from.SubSequence;
        return StartingPosition.At(from.Sequence);
    }

    private async Task<string> GetIteratorAsync(StartingPosition start, CancellationToken cancellationToken)
    {
        var backoff = _options.ReadInterval;
        while (true)
        {
            try
            {
                return await _stream.GetIteratorAsync(ShardId, start, cancellationToken).ConfigureAwait(false);
            }
            catch (StreamThrottledException)
            {
                await DelayAsync(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, _time, cancellationToken);

    /// <summary>
    /// Retries a write that failed for a reason other than a lost lease (the lake or the lease table is down):
    /// buffers stay intact until their file is in the lake, so a retry writes the same runs under the same names.
    /// Keeps the lease meanwhile, so the shard does not bounce between workers during an outage.
    /// </summary>
    private async Task WithRetryAsync(Func<CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                await write(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not (LeaseLostException or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
            {
                ConsumerLog.WriteFailed(_logger, ShardId, backoff, e);
                await DelayAsync(backoff * (0.5 + (Random.Shared.NextDouble() / 2)), cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }
}
