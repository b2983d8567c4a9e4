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
/// The synchronous half of the lake writer: normalises events, routes them into (table, hour) buffers or
/// keeps them as rejected, accounts their memory, and hands out the buffers the <see cref="FlushPolicy"/>
/// says are due. It does no I/O and calls nobody back: its owner takes the due buffers
/// (<see cref="TakeDue"/>) and has them published (<see cref="LakePublisher"/>). One router per input (a file
/// conversion, a shard); it owns its writer-local caches (the normaliser's name ids and what they map to),
/// and shares only the schema registry, which protects itself. Not thread-safe: one owner calls it.
/// </summary>
public sealed class LakeRouter
{
    private const long ErrorBufferFlushBytes = 8L * 1024 * 1024;

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
    private readonly Dictionary<string, ColumnIndexCache> _indexes = new(StringComparer.Ordinal);
    private readonly long _checkIntervalMs;
    private long _bufferedBytes;
    private long _rejectedBytes;
    private long _nowMs;
    private long _nowReads;
    private long _nextId;
    private long _lastCheckMs = long.MinValue / 2;
    private long _eventTimeHighMs = long.MinValue;

    public LakeRouter(LakeOptions options, SchemaRegistry schemas, TimeProvider? time = null, ILogger? logger = null, LakeMetrics? metrics = null, MemoryAccount? memory = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _options = options;
        _schemas = schemas;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics ?? new LakeMetrics();
        Memory = memory ?? new MemoryAccount();
        _policy = new FlushPolicy(options);
        _normalizer = new EventNormalizer((int)Math.Min(int.MaxValue, options.MaxEventSize.Bytes));
        _checkIntervalMs = (long)Math.Min(15_000, (options.MaxBufferAge?.TotalMilliseconds ?? 30_000) / 2);
        _nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
    }

    /// <summary>Consulted for each routed event during a replay.</summary>
    public IReplayFilter? Replay { get; set; }

    /// <summary>The id the next buffer opened will get; ids grow by one per buffer, data and rejected alike.</summary>
    public long NextBufferId => _nextId;

    /// <summary>Events a replay found already in the lake and skipped.</summary>
    public long SkippedOnReplay { get; private set; }

    public LakeWriterStats Stats { get; } = new();

    public SchemaRegistry Schemas => _schemas;

    /// <summary>The memory account the budget is checked against: this router's alone, or shared by every router of a process.</summary>
    public MemoryAccount Memory { get; }

    /// <summary>True when buffers are due and should be taken before more events are appended.</summary>
    public bool FlushPending { get; private set; }

    public int OpenPartitions => _buffers.Count;

    public bool HasOpenBuffers => _buffers.Count > 0 || _rejected.Count > 0;

    /// <summary>Memory held by this router's open buffers, rejected events included (handed-out buffers not).</summary>
    public long BufferedBytes => _bufferedBytes + _rejectedBytes;

    /// <summary>
    /// The event-time watermark: the newest event time routed, but never ahead of the wall clock (so one
    /// far-future event cannot close every hour). Hours close on it, so a backlog read in minutes writes one
    /// file per (table, hour) as live traffic does.
    /// </summary>
    public long EventTimeWatermarkMs => Math.Min(_eventTimeHighMs, _time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Normalises one event and adds it to its buffer, or keeps it as rejected.</summary>
    public void Append(ReadOnlySpan<byte> json, SourcePosition position, long arrivalMs)
    {
        bool normalized;
        try
        {
            normalized = _normalizer.Normalize(json, arrivalMs, _event);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug of ours in reading one event must not stop the input: keep the event with what went wrong.
            Reject(json, position, arrivalMs, RejectReason.InternalError, $"normalising the event failed: {e.GetType().Name}: {e.Message}", null);
            return;
        }

        if (!normalized)
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

        if (_event.EventTimeMs > _eventTimeHighMs)
        {
            _eventTimeHighMs = _event.EventTimeMs;
        }

        var now = Now();
        if (!_buffers.TryGetValue(key, out var buffer))
        {
            buffer = new PartitionBuffer(key, IndexesOf(key.Table), position, now, _nextId++);
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

        FlushPending |= _policy.IsFull(buffer) || _policy.IsOverBudget(Memory.WritableBytes);
    }

    /// <summary>
    /// Decodes one record payload (compressed or not, one or several events) and appends its events. A payload
    /// that does not inflate, or inflates past <see cref="LakeOptions.MaxEventSize"/>, is one rejected event;
    /// so is a payload that is not text at all (binary data is one error record, not one per 0x0A byte in it).
    /// A payload with no event in it (empty, white space) is counted as blank.
    /// </summary>
    public void AppendPayload(ReadOnlyMemory<byte> payload, string source, string? sequence, long arrivalMs, long subSequence = 0)
    {
        var first = new SourcePosition(source, sequence, subSequence, 0);
        var decoded = PayloadDecoder.Decode(payload, (int)Math.Min(int.MaxValue, _options.MaxEventSize.Bytes));
        if (decoded.Error is { } error)
        {
            Reject(payload.Span, first, arrivalMs, decoded.TooLarge ? RejectReason.TooLarge : RejectReason.DecompressionFailed, error, null);
            return;
        }

        if (IsBinary(decoded.Text.Span))
        {
            Reject(decoded.Text.Span, first, arrivalMs, RejectReason.InvalidUtf8, $"record is not text: {decoded.Text.Length} bytes that are not UTF-8 and do not start with '{{'", null);
            return;
        }

        // Walked in place, not through a callback: this runs once per record.
        var lines = new EventLines(decoded.Text);
        while (lines.MoveNext(out var line))
        {
            Append(line.Span, new SourcePosition(source, sequence, subSequence, lines.Index), arrivalMs);
        }

        if (lines.Index < 0)
        {
            Stats.BlankRecords++;
            _metrics.BlankRecords.Add(1);
        }
    }

    /// <summary>Not an event stream at all: the first non-blank byte is not '{' and the bytes are not UTF-8.</summary>
    private static bool IsBinary(ReadOnlySpan<byte> text)
    {
        var start = text.IndexOfAnyExcept(" \n\r\t"u8);
        return start >= 0 && text[start] != (byte)'{' && !System.Text.Unicode.Utf8.IsValid(text);
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
            buffer = new RejectedEventBuffer(hour, position, _nextId++) { CreatedAtMs = Now() };
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
        FlushPending |= buffer.Bytes >= ErrorBufferFlushBytes || _policy.IsOverBudget(Memory.WritableBytes);
    }

    /// <summary>
    /// Looks at the clocks, every few seconds rather than every read: a buffer older than the maximum age is
    /// due (wall clock, the freshness bound), and so is one whose hour has closed on the event-time watermark
    /// and that took no event since the last look (late events of a closed hour gather into one file instead
    /// of one per look). Sets <see cref="FlushPending"/> when something is due.
    /// </summary>
    public void CheckClocks()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _nowMs = now;
        if (now - _lastCheckMs < _checkIntervalMs)
        {
            return;
        }

        _lastCheckMs = now;
        var watermark = Math.Min(_eventTimeHighMs, now);
        foreach (var b in _buffers.Values)
        {
            if (_policy.IsTooOld(b, now))
            {
                b.DueByClock = FlushReason.MaxAge;
            }
            else if (_policy.IsHourClosed(b, watermark) && b.RowCount == b.RowsAtLastCheck)
            {
                b.DueByClock = FlushReason.HourClosed;
            }

            b.RowsAtLastCheck = b.RowCount;
            FlushPending |= b.DueByClock is not null;
        }

        foreach (var e in _rejected.Values)
        {
            FlushPending |= IsTooOld(e, now);
        }
    }

    private bool IsTooOld(RejectedEventBuffer buffer, long now) =>
        _options.MaxBufferAge is { } age && now - buffer.CreatedAtMs >= (long)age.TotalMilliseconds;

    /// <summary>Hands out whatever the flush policy selects now; they take no more events.</summary>
    public List<DueBuffer> TakeDue()
    {
        FlushPending = false;
        var due = new List<DueBuffer>();
        foreach (var (buffer, reason) in _policy.SelectDue(_buffers.Values, Memory.WritableBytes))
        {
            due.Add(HandOut(buffer, reason));
        }

        var overBudget = _policy.IsOverBudget(Memory.WritableBytes - due.Sum(d => d.Bytes));
        foreach (var errors in _rejected.Values
            .Where(e => e.CutRequested || (!e.HoldUntilCut && (e.Bytes >= ErrorBufferFlushBytes || overBudget || IsTooOld(e, _nowMs))))
            .OrderBy(e => e.Id)
            .ToList())
        {
            due.Add(HandOut(errors, FlushReason.MaxAge));
        }

        return due;
    }

    /// <summary>
    /// Hands out every buffer, in a stable order; except buffers still rebuilding an earlier owner's run, which
    /// stay open (their intent stays in the lease and the next owner completes them).
    /// </summary>
    public List<DueBuffer> TakeAll(FlushReason reason)
    {
        FlushPending = false;
        var due = new List<DueBuffer>();
        foreach (var buffer in _buffers.Values.Where(b => !b.HoldUntilCut || b.CutRequested).OrderBy(b => b.Key.Table, StringComparer.Ordinal).ThenBy(b => b.Key.Hour).ThenBy(b => b.Id).ToList())
        {
            due.Add(HandOut(buffer, reason));
        }

        foreach (var errors in _rejected.Values.Where(e => !e.HoldUntilCut || e.CutRequested).OrderBy(e => e.Hour).ToList())
        {
            due.Add(HandOut(errors, reason));
        }

        return due;
    }

    /// <summary>The ids of the buffers still open here (a checkpoint watermark holds back for them).</summary>
    public IEnumerable<long> OpenBufferIds => _buffers.Values.Select(b => b.Id).Concat(_rejected.Values.Select(e => e.Id));

    /// <summary>Gives back the memory of a handed-out buffer: its file is in the lake, or it was abandoned.</summary>
    public void Release(DueBuffer due) => Memory.Add(-due.Bytes);

    /// <summary>Drops every open buffer and gives back its memory (the lease was lost: the next owner re-reads them).</summary>
    public void Abandon()
    {
        Memory.Add(-BufferedBytes);
        _buffers.Clear();
        _rejected.Clear();
        _bufferedBytes = 0;
        _rejectedBytes = 0;
        FlushPending = false;
    }

    private DueBuffer HandOut(PartitionBuffer buffer, FlushReason reason)
    {
        _buffers.Remove(buffer.Key);
        _bufferedBytes -= buffer.AllocatedBytes;
        return new DueBuffer(buffer, reason);
    }

    private DueBuffer HandOut(RejectedEventBuffer errors, FlushReason reason)
    {
        _rejected.Remove(errors.Hour);
        _rejectedBytes -= errors.Bytes;
        return new DueBuffer(errors, reason);
    }

    private ColumnIndexCache IndexesOf(string table)
    {
        if (!_indexes.TryGetValue(table, out var cache))
        {
            cache = new ColumnIndexCache(_schemas.Get(table));
            _indexes[table] = cache;
        }

        return cache;
    }

    private void Account(ref long counter, long delta)
    {
        counter += delta;
        Memory.Add(delta);
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
}
