using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Core.Configuration;
using Streaming.Core.Diagnostics;
using Streaming.Core.Failures;
using Streaming.Core.Ingest;
using Streaming.Core.Lake;
using Streaming.Core.Schema;

namespace Streaming.Core.Backfill;

/// <summary>
/// <c>convert</c>'s orchestration (docs/backfill.md): cuts the inputs into pieces, skips the pieces whose done-marker
/// the lake holds, and converts the others several at a time, each through its own <see cref="LakeRouter"/> on its own
/// share of the memory budget and its own clock, all publishing through one <see cref="LakePublisher"/> and one
/// <see cref="SchemaRegistry"/> (the stream consumer's shape, one router per shard). A piece's files depend only on
/// its own lines, so the lake does not depend on how many pieces run at once.
/// </summary>
public sealed class BackfillRun
{
    private readonly ILakeStore _store;
    private readonly IColumnarFileWriter _fileWriter;
    private readonly LakeOptions _options;
    private readonly BackfillOptions _backfill;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LakeMetrics _metrics = new();

    public BackfillRun(ILakeStore store, IColumnarFileWriter fileWriter, LakeOptions options, BackfillOptions backfill, TimeProvider? time = null, ILogger? logger = null)
    {
        var errors = options.Validate().Concat(backfill.Validate()).ToList();
        if (errors.Count == 0 && options.MemoryBudget.Bytes / backfill.InputsInFlight < 1024 * 1024)
        {
            errors.Add($"--memory-budget {options.MemoryBudget} split over --inputs-in-flight {backfill.InputsInFlight} leaves less than 1MiB per input; raise the budget or lower the inputs in flight");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _store = store;
        _fileWriter = fileWriter;
        _options = options;
        _backfill = backfill;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public BackfillProgress Progress { get; } = new();

    /// <summary>The memory each piece's router may hold: the budget's share (see <see cref="BackfillOptions.InputsInFlight"/>).</summary>
    public long PieceBudgetBytes => _options.MemoryBudget.Bytes / _backfill.InputsInFlight;

    /// <summary>
    /// Converts <paramref name="inputs"/> (in the order given; list S3 prefixes sorted by key). Throws on a failure that
    /// ends the run (access denied, no such bucket, a schema conflict); an input that cannot be read is an outcome.
    /// </summary>
    public async Task<BackfillResult> RunAsync(IReadOnlyList<IConvertInput> inputs, CancellationToken cancellationToken)
    {
        var schemas = new SchemaRegistry(_store);
        await schemas.LoadAsync(cancellationToken).ConfigureAwait(false);
        var ledger = await ConvertLedger.LoadAsync(_store, cancellationToken).ConfigureAwait(false);
        var pieces = new List<ConvertPiece>();
        foreach (var input in inputs)
        {
            pieces.AddRange(await ChunkPlanner.PlanAsync(input, _backfill.ChunkBytes, cancellationToken).ConfigureAwait(false));
        }

        Progress.PiecesTotal = pieces.Count;
        Progress.BytesTotal = pieces.Sum(p => p.Bytes ?? 0);

        var publisher = new LakePublisher(_store, _fileWriter, schemas, _time, _logger, _metrics, maxConcurrentEncodes: _backfill.Threads);
        var pieceOptions = _options.WithMemoryBudget(new ByteSize(PieceBudgetBytes));
        var outcomes = new PieceOutcome?[pieces.Count];
        var retry = new RetryPolicy(_time, _backfill.RetryFirst, _backfill.RetryLongest);
        var stopStarting = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _backfill.Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, pieces.Count), parallel, async (index, ct) =>
        {
            var piece = pieces[index];
            if (Volatile.Read(ref stopStarting) != 0)
            {
                outcomes[index] = new PieceOutcome(piece, PieceState.NotStarted, null, null, 0);
                return;
            }

            if (piece.Identity is { } identity && ledger.IsDone(identity))
            {
                BackfillLog.PieceSkipped(_logger, piece.SourceName, ConvertLedger.MarkerKey(identity));
                Progress.PieceSkipped(piece.Bytes ?? 0);
                outcomes[index] = new PieceOutcome(piece, PieceState.Skipped, null, null, 0);
                return;
            }

            try
            {
                outcomes[index] = await retry.ExecuteAsync(
                    c => ConvertAsync(piece, publisher, schemas, pieceOptions, ledger, c),
                    (e, delay) => BackfillLog.PieceRetrying(_logger, piece.SourceName, delay, FailureClassifier.Describe(e)),
                    ct).ConfigureAwait(false);
                Progress.PieceDone();
            }
            catch (Exception e) when (IsInputFailure(e))
            {
                var reason = e is InputUnreadableException unreadable ? unreadable.Reason : e.Message;
                BackfillLog.PieceFailed(_logger, piece.SourceName, reason);
                Progress.PieceFailed();
                outcomes[index] = new PieceOutcome(piece, PieceState.Failed, null, $"{piece.SourceName}: {reason}", 0);
                if (_backfill.OnInputError == InputErrorMode.Stop)
                {
                    Volatile.Write(ref stopStarting, 1);
                }
            }
        }).ConfigureAwait(false);

        var all = outcomes.Select((o, i) => o ?? new PieceOutcome(pieces[i], PieceState.NotStarted, null, null, 0)).ToList();
        var total = new LakeWriterStats();
        foreach (var o in all.Where(o => o.Stats is not null))
        {
            total.Add(o.Stats!);
        }

        return new BackfillResult(all, total, all.Sum(o => o.BytesRead));
    }

    /// <summary>What fails one input only: it cannot be opened or read, or its bytes are not what they claim (a corrupt gzip).</summary>
    private static bool IsInputFailure(Exception e) => e is InputUnreadableException or InvalidDataException;

    private async Task<PieceOutcome> ConvertAsync(ConvertPiece piece, LakePublisher publisher, SchemaRegistry schemas, LakeOptions options, ConvertLedger ledger, CancellationToken cancellationToken)
    {
        var router = new LakeRouter(options, schemas, InputClock.Ticking(piece.Input.ModifiedMs), _logger, _metrics, new MemoryAccount());
        var writer = LakeWriter.Create(router, publisher);
        long bytes = 0;
        long reportedEvents = 0;
        try
        {
            var raw = await piece.Input.OpenAsync(piece.IsWhole ? 0 : Math.Max(0, piece.Start - 1), cancellationToken).ConfigureAwait(false);
            var counted = new CountingStream(raw, n =>
            {
                bytes += n;
                Progress.AddBytes(n);
            });
            using Stream stream = piece.End is { } end ? new LineRangeStream(counted, piece.Start, end) : counted;
            await NdjsonIngest.IngestAsync(
                stream,
                piece.SourceName,
                writer,
                options.MaxEventSize.Bytes,
                InputClock.Fixed(piece.Input.ModifiedMs),
                _ =>
                {
                    var events = writer.Stats.Events;
                    Progress.AddEvents(events - reportedEvents);
                    reportedEvents = events;
                },
                cancellationToken).ConfigureAwait(false);
            await writer.FlushAllAsync(FlushReason.EndOfInput, cancellationToken).ConfigureAwait(false);
            Progress.AddEvents(writer.Stats.Events - reportedEvents);
            reportedEvents = writer.Stats.Events;
        }
        catch
        {
            // Redone from its start (or not at all): what it read and counted does not stand.
            Progress.AddBytes(-bytes);
            Progress.AddEvents(-reportedEvents);
            throw;
        }

        if (piece.Identity is { } identity)
        {
            await ledger.MarkDoneAsync(identity, piece.SourceName, writer.Stats, cancellationToken).ConfigureAwait(false);
        }

        var s = writer.Stats;
        BackfillLog.PieceConverted(_logger, piece.SourceName, s.Events, s.FilesWritten, s.FilesAlreadyPresent);
        return new PieceOutcome(piece, PieceState.Converted, s, null, bytes);
    }
}
