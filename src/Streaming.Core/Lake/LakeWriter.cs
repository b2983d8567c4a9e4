using System.Globalization;
using System.IO.Compression;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Core.Buffers;
using Streaming.Core.Configuration;
using Streaming.Core.Decoding;
using Streaming.Core.Diagnostics;
using Streaming.Core.Events;
using Streaming.Core.Schema;

namespace Streaming.Core.Lake;

/// <summary>
/// The pipeline from event bytes to lake files: normalise, route into (table, hour) buffers, and write them
/// out as the <see cref="FlushPolicy"/> decides. <see cref="Append"/> is synchronous and cheap; when it sets
/// <see cref="FlushPending"/> the caller awaits <see cref="FlushDueAsync"/>. Single-threaded by design.
/// </summary>
public sealed class LakeWriter
{
    private const long ErrorBufferFlushBytes = 8L * 1024 * 1024;

    private readonly ILakeStore _store;
    private readonly IColumnarFileWriter _fileWriter;
    private readonly LakeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LakeMetrics _metrics;
    private readonly SchemaRegistry _schemas;
    private readonly FlushPolicy _policy;
    private readonly EventNormalizer _normalizer;
    private readonly NormalizedEvent _event = new();
    private readonly Dictionary<PartitionKey, PartitionBuffer> _buffers = new(PartitionKeyComparer.Instance);
    private readonly Dictionary<long, RejectedEventBuffer> _rejected = [];
    private long _bufferedBytes;
    private long _rejectedBytes;
    private long _nowMs;
    private long _nowReads;
    private long _creationOrder;
    private long _lastAgeCheckMs = long.MinValue / 2;
    private readonly long _ageCheckIntervalMs;
    private bool _ageDue;

    private LakeWriter(ILakeStore store, IColumnarFileWriter fileWriter, LakeOptions options, TimeProvider time, ILogger logger, LakeMetrics metrics, SchemaRegistry schemas)
    {
        _store = store;
        _fileWriter = fileWriter;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _schemas = schemas;
        _policy = new FlushPolicy(options);
        _normalizer = new EventNormalizer((int)Math.Min(int.MaxValue, options.MaxEventSize.Bytes));
        _ageCheckIntervalMs = (long)Math.Min(15_000, (options.MaxBufferAge?.TotalMilliseconds ?? 30_000) / 2);
    }

    /// <summary>Opens a writer on a lake, loading the schemas already there.</summary>
    public static async Task<LakeWriter> OpenAsync(
        ILakeStore store,
        IColumnarFileWriter fileWriter,
        LakeOptions options,
        TimeProvider? time = null,
        ILogger? logger = null,
        LakeMetrics? metrics = null,
        CancellationToken cancellationToken = default)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        var schemas = new SchemaRegistry(store);
        await schemas.LoadAsync(cancellationToken).ConfigureAwait(false);
        return new LakeWriter(store, fileWriter, options, time ?? TimeProvider.System, logger ?? NullLogger.Instance, metrics ?? new LakeMetrics(), schemas);
    }

    /// <summary>A writer that shares an already loaded schema registry (one per shard, one registry per process).</summary>
    public static LakeWriter Create(
        ILakeStore store,
        IColumnarFileWriter fileWriter,
        LakeOptions options,
        SchemaRegistry schemas,
        TimeProvider? time = null,
        ILogger? logger = null,
        LakeMetrics? metrics = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        return new LakeWriter(store, fileWriter, options, time ?? TimeProvider.System, logger ?? NullLogger.Instance, metrics ?? new LakeMetrics(), schemas);
    }

    /// <summary>Told before and after each file is written (a stream consumer's lease journal).</summary>
    public IFlushJournal? Journal { get; set; }

    /// <summary>Consulted for each routed event during a replay.</summary>
    public IReplayFilter? Replay { get; set; }

    /// <summary>Captured by each new buffer: what the caller says is complete before the buffer's first event.</summary>
    public object? ResumePoint { get; set; }

    /// <summary>The <see cref="ResumePoint"/> of the oldest open buffer, or null when every buffer is written.</summary>
    public object? OldestResumePoint
    {
        get
        {
            object? oldest = null;
            var order = long.MaxValue;
            foreach (var b in _buffers.Values)
            {
                if (b.CreationOrder < order)
                {
                    (order, oldest) = (b.CreationOrder, b.ResumePoint);
                }
            }

            foreach (var b in _rejected.Values)
            {
                if (b.CreationOrder < order)
                {
                    (order, oldest) = (b.CreationOrder, b.ResumePoint);
                }
            }

            return oldest;
        }
    }

    public bool HasOpenBuffers => _buffers.Count > 0 || _rejected.Count > 0;

    /// <summary>Events a replay found already in the lake and skipped.</summary>
    public long SkippedOnReplay { get; private set; }

    /// <summary>Sets <see cref="FlushPending"/> when a buffer has outlived the maximum buffer age.</summary>
    public void CheckAge()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _nowMs = now;

        // Age and hour close are coarse by nature; looking every few seconds, not every read, lets late events
        // of a closed hour gather into one file instead of one per read.
        if (now - _lastAgeCheckMs < _ageCheckIntervalMs)
        {
            return;
        }

        _lastAgeCheckMs = now;
        _ageDue = _buffers.Values.Any(b => _policy.IsTooOld(b, now) || _policy.IsHourClosed(b, now)) || _rejected.Values.Any(b => IsTooOld(b, now));
        FlushPending |= _ageDue;
    }

    private bool IsTooOld(RejectedEventBuffer buffer, long now) =>
        _options.MaxBufferAge is { } age && now - buffer.CreatedAtMs >= (long)age.TotalMilliseconds;

    public LakeWriterStats Stats { get; } = new();

    public SchemaRegistry Schemas => _schemas;

    /// <summary>True when buffers should be written before more events are appended.</summary>
    public bool FlushPending { get; private set; }

    public int OpenPartitions => _buffers.Count;

    /// <summary>Memory held by all buffers, rejected events included.</summary>
    public long BufferedBytes => _bufferedBytes + _rejectedBytes;

    /// <summary>Shared with the other writers of the process when set: the memory budget then covers them all.</summary>
    public MemoryAccount? SharedMemory { get; set; }

    /// <summary>What the memory budget is compared with: this writer's buffers, or all writers' when shared.</summary>
    private long BudgetedBytes => SharedMemory?.Bytes ?? BufferedBytes;

    /// <summary>Gives back to the shared account whatever this writer still holds (it is being abandoned, e.g. after a lost lease).</summary>
    public void ReleaseSharedMemory()
    {
        SharedMemory?.Add(-BufferedBytes);
        SharedMemory = null;
    }

    private void Account(ref long counter, long delta)
    {
        counter += delta;
        SharedMemory?.Add(delta);
    }

    /// <summary>Normalises one event and adds it to its buffer, or keeps it as rejected.</summary>
    public void Append(ReadOnlySpan<byte> json, SourcePosition position, long arrivalMs)
    {
        if (!_normalizer.Normalize(json, arrivalMs, _event))
        {
            Reject(json, position, arrivalMs, _event.Rejection!.Value, _event.RejectionMessage!, null);
            return;
        }

        var key = PartitionKey.For(_event.Table, _event.EventTimeMs);
        var action = Replay?.Decide(key.JournalName, position) ?? ReplayAction.Append;
        if (action == ReplayAction.Skip)
        {
            SkippedOnReplay++;
            return;
        }

        var now = Now();
        if (!_buffers.TryGetValue(key, out var buffer))
        {
            buffer = new PartitionBuffer(key, _schemas.Get(key.Table), position, now, _creationOrder++, ResumePoint);
            _buffers[key] = buffer;
            FlushPending |= _policy.TooManyOpen(_buffers.Count);
        }

        if (action == ReplayAction.AppendAndCut)
        {
            buffer.CutRequested = true;
            FlushPending = true;
        }
        else if (action == ReplayAction.AppendAndHold)
        {
            buffer.HoldUntilCut = true;
        }

        var rescuedBefore = buffer.RescuedValues;
        Account(ref _bufferedBytes, buffer.Append(_event, json, position, now, _options.MaxColumnsPerTable));
        Stats.Rows++;
        Stats.RescuedValues += buffer.RescuedValues - rescuedBefore;
        if (_event.UsedArrivalTime)
        {
            Stats.UsedArrivalTime++;
        }

        FlushPending |= _policy.IsFull(buffer) || _policy.IsOverBudget(BudgetedBytes);
    }

    /// <summary>Wall-clock time for buffer ages, read from the clock once every 256 events: reading it per event costs more than the rest of routing.</summary>
    private long Now()
    {
        if ((_nowReads++ & 0xFF) == 0)
        {
            _nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        }

        return _nowMs;
    }

    /// <summary>Decodes one record payload (compressed or not, one or several events) and appends its events.</summary>
    public void AppendPayload(ReadOnlyMemory<byte> payload, string source, string? sequence, long arrivalMs, long subSequence = 0)
    {
        var decoded = PayloadDecoder.Decode(payload);
        if (decoded.Error is { } error)
        {
            Reject(payload.Span, new SourcePosition(source, sequence, subSequence, 0), arrivalMs, RejectReason.DecompressionFailed, error, null);
            return;
        }

        PayloadDecoder.SplitLines(decoded.Text, (line, index) => Append(line.Span, new SourcePosition(source, sequence, subSequence, index), arrivalMs));
    }

    /// <summary>Keeps an event that cannot become a row, with the reason, under <c>_errors</c>.</summary>
    public void Reject(ReadOnlySpan<byte> raw, SourcePosition position, long arrivalMs, RejectReason reason, string message, long? originalLength)
    {
        var hour = PartitionKey.For("errors", arrivalMs).Hour;
        var action = Replay?.Decide(PartitionKey.ErrorsJournalName(hour), position) ?? ReplayAction.Append;
        if (action == ReplayAction.Skip)
        {
            SkippedOnReplay++;
            return;
        }

        if (!_rejected.TryGetValue(hour, out var buffer))
        {
            buffer = new RejectedEventBuffer(hour, position, _creationOrder++, ResumePoint) { CreatedAtMs = Now() };
            _rejected[hour] = buffer;
        }

        if (action == ReplayAction.AppendAndCut)
        {
            buffer.CutRequested = true;
            FlushPending = true;
        }
        else if (action == ReplayAction.AppendAndHold)
        {
            buffer.HoldUntilCut = true;
        }

        var before = buffer.Bytes;
        buffer.Add(reason, message, raw, originalLength, position, arrivalMs);
        Account(ref _rejectedBytes, buffer.Bytes - before);
        Stats.AddRejected(reason);
        _metrics.EventsRejected.Add(1, new KeyValuePair<string, object?>("reason", reason.Code()));
        LakeLog.Rejected(_logger, position.ToString(), reason.Code(), message);
        FlushPending |= buffer.Bytes >= ErrorBufferFlushBytes || _policy.IsOverBudget(BudgetedBytes);
    }

    /// <summary>Writes out whatever the flush policy selects now.</summary>
    public async Task FlushDueAsync(CancellationToken cancellationToken)
    {
        FlushPending = false;
        // Age and hour close count only right after CheckAge found them due; otherwise size, memory, the
        // partition cap and replay cuts decide.
        var now = _ageDue ? _time.GetUtcNow().ToUnixTimeMilliseconds() : long.MinValue / 2;
        _ageDue = false;

        foreach (var (buffer, reason) in _policy.SelectDue(_buffers.Values, BudgetedBytes, now))
        {
            await FlushAsync(buffer, reason, cancellationToken).ConfigureAwait(false);
        }

        foreach (var errors in _rejected.Values
            .Where(e => e.CutRequested || (!e.HoldUntilCut && (e.Bytes >= ErrorBufferFlushBytes || _policy.IsOverBudget(BudgetedBytes) || IsTooOld(e, now))))
            .OrderBy(e => e.CreationOrder)
            .ToList())
        {
            await FlushRejectedAsync(errors, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes out every buffer, in a stable order; except buffers still rebuilding an earlier owner's run,
    /// which stay open (their intent stays in the lease and the next owner completes them).
    /// </summary>
    public async Task FlushAllAsync(FlushReason reason, CancellationToken cancellationToken)
    {
        foreach (var buffer in _buffers.Values.Where(b => !b.HoldUntilCut || b.CutRequested).OrderBy(b => b.Key.Table, StringComparer.Ordinal).ThenBy(b => b.Key.Hour).ThenBy(b => b.CreationOrder).ToList())
        {
            await FlushAsync(buffer, reason, cancellationToken).ConfigureAwait(false);
        }

        foreach (var errors in _rejected.Values.Where(e => !e.HoldUntilCut || e.CutRequested).OrderBy(e => e.Hour).ToList())
        {
            await FlushRejectedAsync(errors, cancellationToken).ConfigureAwait(false);
        }

        FlushPending = false;
    }

    private async Task FlushAsync(PartitionBuffer buffer, FlushReason reason, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var schemaVersion = buffer.Schema.SavedVersion;
        var rescuedBefore = buffer.RescuedValues;
        do
        {
            // Saving may adopt another writer's types; aligning to them may add _rescued, which must be saved too.
            await _schemas.SaveAsync(buffer.Schema, cancellationToken).ConfigureAwait(false);
            buffer.AlignWithSchema();
        }
        while (buffer.Schema.HasUnsavedColumns);

        Stats.RescuedValues += buffer.RescuedValues - rescuedBefore;
        if (buffer.Schema.SavedVersion != schemaVersion)
        {
            LakeLog.SchemaSaved(_logger, buffer.Schema.Table, buffer.Schema.SavedVersion, buffer.Schema.Count);
        }

        using var output = new MemoryStream();
        await _fileWriter.WriteAsync(buffer, output, cancellationToken).ConfigureAwait(false);
        var content = output.GetBuffer().AsMemory(0, (int)output.Length);
        var key = LakePaths.DataFile(buffer.Key, FileNaming.Name(buffer.FirstPosition, content.Span, _fileWriter.Extension));
        var metadata = new Dictionary<string, string>
        {
            ["rows"] = buffer.RowCount.ToString(CultureInfo.InvariantCulture),
            ["first-source"] = buffer.FirstPosition.ToString(),
            ["last-source"] = buffer.LastPosition.ToString(),
            ["schema-version"] = buffer.Schema.SavedVersion.ToString(CultureInfo.InvariantCulture),
        };
        var intent = new FileIntent(buffer.Key.JournalName, buffer.FirstPosition, buffer.LastPosition, key, buffer.RowCount);
        if (Journal is not null)
        {
            await Journal.BeforeWriteAsync(intent, cancellationToken).ConfigureAwait(false);
        }

        var outcome = await _store.PutIfAbsentAsync(key, content, metadata, cancellationToken).ConfigureAwait(false);

        _buffers.Remove(buffer.Key);
        Account(ref _bufferedBytes, -buffer.AllocatedBytes);
        Stats.AddFile(buffer.Key);
        if (outcome == PutOutcome.Created)
        {
            Stats.FilesWritten++;
            Stats.RowsWritten += buffer.RowCount;
            Stats.BytesWritten += content.Length;
            _metrics.FilesWritten.Add(1);
            _metrics.BytesWritten.Add(content.Length);
            _metrics.EventsWritten.Add(buffer.RowCount, new KeyValuePair<string, object?>("table", buffer.Key.Table));
            LakeLog.FileWritten(_logger, buffer.RowCount, key, content.Length, reason);
        }
        else
        {
            Stats.FilesAlreadyPresent++;
            Stats.RowsAlreadyPresent += buffer.RowCount;
            LakeLog.FileAlreadyPresent(_logger, key, buffer.RowCount);
        }

        _metrics.FlushDuration.Record(_time.GetElapsedTime(started).TotalSeconds);
        if (Journal is not null)
        {
            await Journal.AfterWriteAsync(intent, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushRejectedAsync(RejectedEventBuffer buffer, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        await using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(buffer.Data, cancellationToken).ConfigureAwait(false);
        }

        // Named after the uncompressed content, so the name does not depend on the compressor.
        var key = LakePaths.ErrorFile(buffer.Hour, FileNaming.Name(buffer.First, buffer.Data.Span, ".json.gz"));
        var intent = new FileIntent(PartitionKey.ErrorsJournalName(buffer.Hour), buffer.First, buffer.Last, key, buffer.Count);
        if (Journal is not null)
        {
            await Journal.BeforeWriteAsync(intent, cancellationToken).ConfigureAwait(false);
        }

        var outcome = await _store.PutIfAbsentAsync(key, output.GetBuffer().AsMemory(0, (int)output.Length), null, cancellationToken).ConfigureAwait(false);
        _rejected.Remove(buffer.Hour);
        Account(ref _rejectedBytes, -buffer.Bytes);
        if (outcome == PutOutcome.Created)
        {
            Stats.ErrorFilesWritten++;
            LakeLog.ErrorsWritten(_logger, buffer.Count, key);
        }

        if (Journal is not null)
        {
            await Journal.AfterWriteAsync(intent, cancellationToken).ConfigureAwait(false);
        }
    }
}
