using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Logging;
using Streaming.Core.Decoding.Kpl;
using Streaming.Core.Diagnostics;
using Streaming.Core.Failures;
using Streaming.Core.Lake;
using Streaming.Core.Leases;

namespace Streaming.Core.Consumer;

/// <summary>
/// Reads one shard into the lake while this worker holds its lease, in one direction: read → route (the
/// shard's own <see cref="LakeRouter"/>) → for the buffers that are due, one flush round: announce their runs
/// in the lease (one write) → publish them in parallel (<see cref="LakePublisher"/>) → confirm them and move
/// the checkpoint to the <see cref="CheckpointWatermark"/> (one write). Resumes from the checkpoint, replays
/// with the lease's per-partition progress as filter, and marks SHARD_END when a closed shard is fully written
/// (docs/exactly-once.md). Shards run concurrently: nothing here is shared but the schema registry and the
/// memory account, which protect themselves.
/// </summary>
public sealed class ShardConsumer
{
    /// <summary>The record object, its sequence string's header and its arrival time: what a record costs besides its bytes.</summary>
    internal const int RecordOverheadBytes = 96;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    // Uploads of one round in flight at once: enough to hide S3 latency, few enough to bound encoded bytes in memory.
    private const int UploadsPerRound = 16;

    // A lease item holds one progress entry (about 60 to 130 bytes) per partition written beyond the checkpoint,
    // and DynamoDB caps an item at 400 KB. A round announces at most this many files per lease write...
    private const int IntentsPerWrite = 200;

    // ...and past this many entries every open buffer is written, so that the checkpoint catches up and the
    // entries it covers are dropped: with at most 1,000 open partitions per shard the item stays under ~300 KB.
    private const int MaxProgressEntries = 1000;

    private readonly ShardCheckpointer _checkpointer;
    private readonly IStreamReader _stream;
    private readonly LakeRouter _router;
    private readonly LakePublisher _publisher;
    private readonly ConsumerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ShardProgress _progress;
    private readonly CheckpointWatermark _watermark;
    private readonly List<KplUserRecord> _userRecords = [];
    private readonly List<DueBuffer> _inFlight = [];
    private readonly CancellationToken _stop;
    private readonly ConsumerMetrics? _consumerMetrics;
    private readonly WorkerHealth _health;
    private readonly RetryPolicy _writes;
    private readonly RetryPolicy _reads;
    private readonly KeyValuePair<string, object?> _shardTag;
    // Zero when nothing is to be skipped (no Kinesis sequence number is zero).
    private BigInteger _skipSequence = BigInteger.Zero;
    private long _skipSubSequence;
    private long _lastProgressWrite;
    private ShardGauges? _gauges;

    public ShardConsumer(
        ShardCheckpointer checkpointer,
        IStreamReader stream,
        LakeRouter router,
        LakePublisher publisher,
        ConsumerOptions options,
        TimeProvider time,
        ILogger logger,
        CancellationToken stop = default,
        ConsumerMetrics? consumerMetrics = null,
        WorkerHealth? health = null)
    {
        _health = health ?? new WorkerHealth();
        _writes = new RetryPolicy(time, FirstRetry, LongestRetry);
        _reads = new RetryPolicy(time, options.ReadInterval > TimeSpan.Zero ? options.ReadInterval : TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));
        _checkpointer = checkpointer;
        _stream = stream;
        _router = router;
        _publisher = publisher;
        _options = options;
        _time = time;
        _logger = logger;
        _stop = stop;
        _consumerMetrics = consumerMetrics;
        _shardTag = new KeyValuePair<string, object?>("shard", checkpointer.ShardId);
        _progress = ShardProgress.Parse(checkpointer.Current.Flushed);
        _router.Replay = _progress.IsEmpty ? null : _progress;
        _watermark = new CheckpointWatermark(checkpointer.Current.Checkpoint);
        _lastProgressWrite = time.GetTimestamp();
    }

    public string ShardId => _checkpointer.ShardId;

    public ShardConsumerState State { get; private set; } = ShardConsumerState.Starting;

    public LakeWriterStats Stats => _router.Stats;

    public long? MillisBehindLatest { get; private set; }

    /// <summary>Flush rounds so far (each: one intent write, the uploads, one confirming write).</summary>
    public long Rounds { get; private set; }

    /// <summary>Runs until the shard ends, a stop is asked for, or the lease is lost (then throws <see cref="LeaseLostException"/>).</summary>
    public async Task RunAsync()
    {
        _gauges = _consumerMetrics?.Track(ShardId);
        try
        {
            await ReadAsync().ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            State = ShardConsumerState.LeaseLost;
            throw;
        }
        catch (OperationCanceledException) when (_checkpointer.Lost.IsCancellationRequested)
        {
            State = ShardConsumerState.LeaseLost;
            throw new LeaseLostException(ShardId);
        }
        catch
        {
            State = ShardConsumerState.Failed;
            throw;
        }
        finally
        {
            // Whatever is still buffered is re-read by the next owner from the checkpoint.
            foreach (var due in _inFlight)
            {
                _router.Release(due);
            }

            _inFlight.Clear();
            _router.Abandon();
            _consumerMetrics?.Untrack(ShardId);
        }
    }

    private async Task ReadAsync()
    {
        if (_checkpointer.Current.IsFinished)
        {
            State = ShardConsumerState.Stopped;
            return;
        }

        using var reading = CancellationTokenSource.CreateLinkedTokenSource(_checkpointer.Lost, _stop);
        string? iterator;
        try
        {
            iterator = await GetIteratorAsync(Start(), reading.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
            iterator = null;
        }
        catch (ShardGoneException)
        {
            // Nothing can be read any more: finish it, so that its children (if any) can be read.
            await FinishShardAsync().ConfigureAwait(false);
            return;
        }

        State = ShardConsumerState.Reading;
        while (iterator is not null && !reading.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            RecordBatch batch;
            try
            {
                var current = iterator;
                batch = await _reads.ExecuteAsync(ct => _stream.GetRecordsAsync(current, ct), (e, delay) => ConsumerLog.Throttled(_logger, ShardId, delay), reading.Token).ConfigureAwait(false);
            }
            catch (IteratorExpiredException)
            {
                ConsumerLog.IteratorExpired(_logger, ShardId, _watermark.LastComplete.ToString());
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

            // The answer's records stay in memory while they are routed: the account shows them meanwhile. Writing
            // buffers early cannot free them, so the flush policy leaves them out (MemoryAccount.WritableBytes);
            // the heap's fixed headroom covers them (docs/memory.md).
            var batchBytes = Observe(batch);
            _router.Memory.AddReading(batchBytes);
            try
            {
                await ProcessBatchAsync(batch, reading.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (reading.IsCancellationRequested)
            {
                // Stopping or lost: a round cut short is redone by the graceful stop or by the next owner.
                break;
            }
            finally
            {
                _router.Memory.AddReading(-batchBytes);
            }

            if (batch.NextIterator is null)
            {
                await FinishShardAsync().ConfigureAwait(false);
                return;
            }

            iterator = batch.NextIterator;
            var wait = (batch.Records.Count == 0 ? _options.IdleInterval : _options.ReadInterval) - _time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero && !await DelayAsync(wait, reading.Token).ConfigureAwait(false))
            {
                break;
            }
        }

        if (_checkpointer.Lost.IsCancellationRequested)
        {
            throw new LeaseLostException(ShardId);
        }

        await StopGracefullyAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// What a GetRecords answer holds in memory while it is routed (its records' data and sequence numbers), and
    /// its records' data alone (what the bytes-read metric counts): one pass over the records for both.
    /// </summary>
    internal static long BatchBytes(RecordBatch batch, out long dataBytes)
    {
        long bytes = 0;
        dataBytes = 0;
        foreach (var r in batch.Records)
        {
            dataBytes += r.Data.Length;
            bytes += r.Data.Length + (r.Sequence.Length * sizeof(char)) + RecordOverheadBytes;
        }

        return bytes;
    }

    /// <summary>Routes a batch's events and runs a flush round whenever buffers become due. The step a test can call directly.</summary>
    public async Task ProcessBatchAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        foreach (var record in batch.Records)
        {
            if (_watermark.LastComplete.IsSentinel)
            {
                // Started from LATEST or AT_TIMESTAMP: pin the start, or a restart would begin somewhere else.
                _watermark.Complete(ShardPosition.Before(record.Sequence));
                await RetryAsync(ct => WriteProgressAsync(_watermark.LastComplete, ct), cancellationToken).ConfigureAwait(false);
            }

            _userRecords.Clear();
            // Only a resumed read starts inside an already routed record; past it nothing is skipped, and
            // sequence numbers (56 digits) need not be parsed at all.
            var sequence = _skipSequence.IsZero ? BigInteger.Zero : BigInteger.Parse(record.Sequence, CultureInfo.InvariantCulture);
            if (!_skipSequence.IsZero && sequence > _skipSequence)
            {
                _skipSequence = BigInteger.Zero;
            }

            if (!KplAggregate.TryDeaggregate(record.Data, _userRecords))
            {
                Route(record, sequence, 0, record.Data);
                await FlushIfDueAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var user in _userRecords)
            {
                Route(record, sequence, user.SubSequenceNumber, user.Data);

                // An aggregate of up to 1 MB holds thousands of events: spread over many (table, hour) buffers they
                // would take tens of MB past the budget before the record ends. A checkpoint can stop between user
                // records, so a round can run here.
                await FlushIfDueAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        _router.CheckClocks();
        await FlushIfDueAsync(cancellationToken).ConfigureAwait(false);

        // The checkpoint behind what is durable (nothing buffered, or only quiet records read): move it, at most every few seconds.
        if (_watermark.Safe != _checkpointer.Current.Checkpoint && _time.GetElapsedTime(_lastProgressWrite) >= TimeSpan.FromSeconds(5))
        {
            await RetryAsync(ct => WriteProgressAsync(_watermark.Safe, ct), cancellationToken).ConfigureAwait(false);
        }

        if (_gauges is not null)
        {
            _gauges.OpenBuffers = _router.OpenPartitions;
            _gauges.BufferedBytes = _router.BufferedBytes;
        }
    }

    /// <summary>Runs a flush round when the router has buffers due (by size, memory, partition count or clock).</summary>
    private ValueTask FlushIfDueAsync(CancellationToken cancellationToken) =>
        _router.FlushPending ? new ValueTask(FlushRoundAsync(_router.TakeDue(), cancellationToken)) : ValueTask.CompletedTask;

    private void Route(StreamRecord record, BigInteger sequence, long subSequence, ReadOnlyMemory<byte> data)
    {
        if (!_skipSequence.IsZero && (sequence < _skipSequence || (sequence == _skipSequence && subSequence <= _skipSubSequence)))
        {
            return;
        }

        var firstNew = _router.NextBufferId;
        _router.AppendPayload(data, ShardId, record.Sequence, record.ArrivalTime.ToUnixTimeMilliseconds(), subSequence);
        _watermark.PinRange(firstNew, _router.NextBufferId);
        _watermark.Complete(ShardPosition.At(record.Sequence, subSequence));
    }

    /// <summary>
    /// One flush round: the runs of every due buffer go into the lease in one write (the intents), the files
    /// are published in parallel (a failed upload is retried, the others are not redone), then one write
    /// confirms them all and moves the checkpoint. A lost lease stops the round at either write.
    /// </summary>
    private async Task FlushRoundAsync(List<DueBuffer> due, CancellationToken cancellationToken)
    {
        // In flight until confirmed: a stop finishes them, a lost lease gives their memory back.
        _inFlight.AddRange(due.Where(d => !_inFlight.Contains(d)));

        // Oldest pins first, so the checkpoint moves with each part of a large round.
        foreach (var part in due.OrderBy(d => d.Id).Chunk(IntentsPerWrite))
        {
            await FlushPartAsync([.. part], cancellationToken).ConfigureAwait(false);
        }

        if (_progress.Count > MaxProgressEntries && _router.TakeAll(FlushReason.LeaseSize) is { Count: > 0 } rest)
        {
            await FlushRoundAsync(rest, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushPartAsync(List<DueBuffer> due, CancellationToken cancellationToken)
    {
        if (due.Count == 0)
        {
            return;
        }

        foreach (var d in due)
        {
            _progress.BeginFile(d.Partition, EventPosition.From(d.First), EventPosition.From(d.Last));
        }

        await RetryAsync(ct => WriteProgressAsync(_checkpointer.Current.Checkpoint, ct), cancellationToken).ConfigureAwait(false);

        var published = new PublishedFile?[due.Count];
        await RetryAsync(
            ct => Parallel.ForEachAsync(
                Enumerable.Range(0, due.Count).Where(i => published[i] is null).ToList(),
                new ParallelOptions { MaxDegreeOfParallelism = UploadsPerRound, CancellationToken = ct },
                async (i, token) => published[i] = await _publisher.PublishAsync(due[i], token).ConfigureAwait(false)),
            cancellationToken).ConfigureAwait(false);

        foreach (var d in due)
        {
            _progress.EndFile(d.Partition, EventPosition.From(d.Last));
            _watermark.Unpin(d.Id);
        }

        _health.LakeAnswered();
        await RetryAsync(ct => WriteProgressAsync(_watermark.Safe, ct), cancellationToken).ConfigureAwait(false);
        foreach (var file in published)
        {
            _router.Stats.Record(file!);
            _router.Release(file!.Buffer);
            _inFlight.Remove(file.Buffer);
        }

        Rounds++;
    }

    /// <summary>Records the answer's metrics; returns what it holds in memory (<see cref="BatchBytes"/>).</summary>
    private long Observe(RecordBatch batch)
    {
        var memory = BatchBytes(batch, out var dataBytes);
        if (_consumerMetrics is not null && _gauges is not null)
        {
            _consumerMetrics.RecordsRead.Add(batch.Records.Count, _shardTag);
            _consumerMetrics.BytesRead.Add(dataBytes, _shardTag);
            _gauges.MillisBehindLatest = batch.MillisBehindLatest ?? 0;
        }

        return memory;
    }

    private async Task WriteProgressAsync(ShardPosition checkpoint, CancellationToken cancellationToken)
    {
        if (!checkpoint.IsSentinel && checkpoint.SubSequence >= 0)
        {
            _progress.Prune(new EventPosition(BigInteger.Parse(checkpoint.Sequence, CultureInfo.InvariantCulture), checkpoint.SubSequence, long.MaxValue));
        }

        var moved = checkpoint != _checkpointer.Current.Checkpoint;
        await _checkpointer.WriteAsync(checkpoint, _progress.Encode(), cancellationToken).ConfigureAwait(false);
        _health.LeaseTableAnswered();
        _lastProgressWrite = _time.GetTimestamp();
        if (moved && _gauges is not null)
        {
            _gauges.LastCheckpoint = _lastProgressWrite;
        }
    }

    private async Task FinishShardAsync()
    {
        State = ShardConsumerState.ShardEnded;
        using var timeout = new CancellationTokenSource(_options.ShutdownTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _checkpointer.Lost);
        await FlushRoundAsync(TakeEverything(), linked.Token).ConfigureAwait(false);
        if (_router.HasOpenBuffers)
        {
            // A run an earlier owner started cannot be cut: leave it to the next owner rather than finish.
            await WriteProgressAsync(_watermark.Safe, linked.Token).ConfigureAwait(false);
            State = ShardConsumerState.Stopped;
            return;
        }

        await _checkpointer.WriteAsync(ShardPosition.ShardEnd, new Dictionary<string, string>(), linked.Token).ConfigureAwait(false);
        ConsumerLog.ShardEnded(_logger, ShardId);
        State = ShardConsumerState.Stopped;
    }

    private async Task StopGracefullyAsync()
    {
        State = ShardConsumerState.Stopping;

        // Two thirds of the shutdown timeout for the last round, so that releasing the lease still fits in it.
        using var timeout = new CancellationTokenSource(_options.ShutdownTimeout * 2 / 3, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _checkpointer.Lost);
        try
        {
            await FlushRoundAsync(TakeEverything(), linked.Token).ConfigureAwait(false);
            var checkpoint = _watermark.Safe;
            await WriteProgressAsync(checkpoint, linked.Token).ConfigureAwait(false);
            ConsumerLog.ShardStopped(_logger, ShardId, checkpoint.ToString(), "stopping");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_checkpointer.Lost.IsCancellationRequested)
        {
            // Nothing is lost (the checkpoint stays below every unwritten event), but the stop did not do its job: say so.
            var events = _inFlight.Sum(d => d.Rows);
            ConsumerLog.StopUnfinished(_logger, ShardId, _inFlight.Count + _router.OpenPartitions, events, (_options.ShutdownTimeout * 2 / 3).TotalSeconds, _checkpointer.Current.Checkpoint.ToString());
            _health.StopUnfinished(ShardId);
        }

        State = ShardConsumerState.Stopped;
    }

    /// <summary>A round cut short by the stop (its buffers still in flight) plus everything still open.</summary>
    private List<DueBuffer> TakeEverything()
    {
        var due = _inFlight.ToList();
        _inFlight.Clear();
        due.AddRange(_router.TakeAll(FlushReason.Shutdown));
        return due;
    }

    private StartingPosition Start()
    {
        var from = _watermark.LastComplete;
        if (from.IsSentinel)
        {
            return from.Sequence switch
            {
                ShardPosition.LatestValue => StartingPosition.Latest,
                ShardPosition.AtTimestampValue => StartingPosition.AtTime(_options.InitialTimestamp ?? DateTimeOffset.UnixEpoch),
                _ => StartingPosition.TrimHorizon,
            };
        }

        // Resume at the record itself and skip its user records up to the last complete sub-sequence.
        _skipSequence = BigInteger.Parse(from.Sequence, CultureInfo.InvariantCulture);
        _skipSubSequence = from.SubSequence;
        return StartingPosition.At(from.Sequence);
    }

    private Task<string> GetIteratorAsync(StartingPosition start, CancellationToken cancellationToken) =>
        _reads.ExecuteAsync(ct => _stream.GetIteratorAsync(ShardId, start, ct), (e, delay) => ConsumerLog.Throttled(_logger, ShardId, delay), cancellationToken);

    /// <summary>Waits; false when cancelled meanwhile.</summary>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Retries a write that failed transiently (the lake or the lease table is down) through the one backoff
    /// policy: buffers stay intact until their file is in the lake, so a retry writes the same runs under the same
    /// names, and the lease is kept meanwhile, so the shard does not bounce between workers during an outage.
    /// Anything permanent (or a lost lease) goes straight up.
    /// </summary>
    private Task RetryAsync(Func<CancellationToken, Task> write, CancellationToken cancellationToken) =>
        _writes.ExecuteAsync(
            write,
            (e, delay) =>
            {
                ConsumerLog.WriteFailed(_logger, ShardId, FailureClassifier.Describe(e), delay);
                var leaseTable = e is LeaseStoreUnavailableException;
                _consumerMetrics?.WriteFailures.Add(1, new KeyValuePair<string, object?>("target", leaseTable ? "lease_table" : "lake"), _shardTag);
                if (leaseTable)
                {
                    _health.LeaseTableFailed(e.Message);
                }
                else
                {
                    _health.LakeFailed(FailureClassifier.Describe(e));
                }
            },
            cancellationToken);
}
