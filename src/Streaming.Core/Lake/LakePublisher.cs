using System.Globalization;
using System.IO.Compression;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Core.Diagnostics;
using Streaming.Core.Schema;

namespace Streaming.Core.Lake;

/// <summary>
/// The asynchronous half of the lake writer: turns a <see cref="DueBuffer"/> into a file in the lake. Saves the
/// table's schema first when the buffer holds columns the lake has not seen, encodes the buffer, and creates
/// the object only if its deterministic key is absent. Stateless apart from the shared schema registry, so one
/// publisher serves every shard of a process, from any thread. Encoding is CPU work: at most one encode per
/// core runs at a time. The memory account, when given, counts each encode's working memory and each encoded
/// file until its upload ends (docs/memory.md).
/// </summary>
public sealed class LakePublisher
{
    private readonly ILakeStore _store;
    private readonly IColumnarFileWriter _fileWriter;
    private readonly SchemaRegistry _schemas;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LakeMetrics _metrics;
    private readonly SemaphoreSlim _encoders;
    private readonly MemoryAccount? _memory;
    private readonly PublishingGate? _gate;

    /// <param name="publishingLimit">
    /// When given, at most this much memory of encodes and encoded files waiting for their upload, for all
    /// callers together (one file at least); further publishes wait (see <see cref="PublishingGate"/>).
    /// </param>
    public LakePublisher(ILakeStore store, IColumnarFileWriter fileWriter, SchemaRegistry schemas, TimeProvider? time = null, ILogger? logger = null, LakeMetrics? metrics = null, int? maxConcurrentEncodes = null, MemoryAccount? memory = null, long? publishingLimit = null)
    {
        _memory = memory;
        _gate = publishingLimit is { } limit ? new PublishingGate(limit) : null;
        _store = store;
        _fileWriter = fileWriter;
        _schemas = schemas;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics ?? new LakeMetrics();
        var encoders = Math.Max(1, maxConcurrentEncodes ?? Environment.ProcessorCount);
        _encoders = new SemaphoreSlim(encoders, encoders);
    }

    public ILakeStore Store => _store;

    /// <summary>
    /// Writes the buffer's file. Idempotent: publishing the same buffer again finds its key taken and reports
    /// <see cref="PutOutcome.AlreadyPresent"/>, so a failed attempt can simply be retried.
    /// </summary>
    public Task<PublishedFile> PublishAsync(DueBuffer due, CancellationToken cancellationToken) =>
        due.Data is null ? PublishErrorsAsync(due, cancellationToken) : PublishDataAsync(due, cancellationToken);

    private async Task<PublishedFile> PublishDataAsync(DueBuffer due, CancellationToken cancellationToken)
    {
        var buffer = due.Data!;
        var started = _time.GetTimestamp();
        var schemaVersion = buffer.Schema.SavedVersion;
        due.RescuedBeforeSave ??= buffer.RescuedValues;
        do
        {
            // Saving may adopt another writer's types; aligning to them may add _rescued, which must be saved too.
            await _schemas.SaveAsync(buffer.Schema, cancellationToken).ConfigureAwait(false);
            buffer.AlignWithSchema();
        }
        while (buffer.Columns.Any(c => !buffer.Schema.IsSaved(c.Definition.Name)));

        if (buffer.Schema.SavedVersion != schemaVersion)
        {
            LakeLog.SchemaSaved(_logger, buffer.Schema.Table, buffer.Schema.SavedVersion, buffer.Schema.Count);
        }

        // While it encodes, a buffer costs about its size once more (the file growing in memory, one column of
        // one row group copied out at a time, the encoder's pages): the budget holds that much for it, then
        // the encoded file itself until it is uploaded. The gate bounds how much of that is in flight at once.
        var encodeBytes = EncodeReservation(due.Bytes);
        var held = encodeBytes;
        if (_gate is not null)
        {
            await _gate.EnterAsync(encodeBytes, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using var output = new MemoryStream();
            await _encoders.WaitAsync(cancellationToken).ConfigureAwait(false);
            _memory?.Add(encodeBytes);
            try
            {
                await _fileWriter.WriteAsync(buffer, output, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _memory?.Add(-encodeBytes);
                _encoders.Release();
            }

            var encodedBytes = output.Capacity;
            _gate?.Adjust(encodedBytes - held);
            held = encodedBytes;
            _memory?.Add(encodedBytes);
            try
            {
                return await UploadAsync(due, buffer, output, started, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _memory?.Add(-encodedBytes);
            }
        }
        finally
        {
            _gate?.Leave(held);
        }
    }

    /// <summary>What the budget holds for a buffer of <paramref name="bufferBytes"/> while it is encoded.</summary>
    internal static long EncodeReservation(long bufferBytes) => bufferBytes;

    private async Task<PublishedFile> UploadAsync(DueBuffer due, Buffers.PartitionBuffer buffer, MemoryStream output, long started, CancellationToken cancellationToken)
    {
        var content = output.GetBuffer().AsMemory(0, (int)output.Length);
        var key = LakePaths.DataFile(buffer.Key, FileNaming.Name(buffer.FirstPosition, content.Span, _fileWriter.Extension));
        var metadata = new Dictionary<string, string>
        {
            ["rows"] = buffer.RowCount.ToString(CultureInfo.InvariantCulture),
            ["first-source"] = buffer.FirstPosition.ToString(),
            ["last-source"] = buffer.LastPosition.ToString(),
            ["schema-version"] = buffer.Schema.SavedVersion.ToString(CultureInfo.InvariantCulture),
        };
        var outcome = await _store.PutIfAbsentAsync(key, content, metadata, cancellationToken).ConfigureAwait(false);
        if (outcome == PutOutcome.Created)
        {
            _metrics.FilesWritten.Add(1);
            _metrics.BytesWritten.Add(content.Length);
            _metrics.EventsWritten.Add(buffer.RowCount, new KeyValuePair<string, object?>("table", buffer.Key.Table));
            LakeLog.FileWritten(_logger, buffer.RowCount, key, content.Length, due.Reason);
        }
        else
        {
            LakeLog.FileAlreadyPresent(_logger, key, buffer.RowCount);
        }

        _metrics.FlushDuration.Record(_time.GetElapsedTime(started).TotalSeconds);
        return new PublishedFile(due, key, outcome, content.Length, buffer.RescuedValues - (due.RescuedBeforeSave ?? buffer.RescuedValues));
    }

    private async Task<PublishedFile> PublishErrorsAsync(DueBuffer due, CancellationToken cancellationToken)
    {
        var buffer = due.Errors!;
        using var output = new MemoryStream();
        await using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(buffer.Data, cancellationToken).ConfigureAwait(false);
        }

        // Named after the uncompressed content, so the name does not depend on the compressor.
        var key = LakePaths.ErrorFile(buffer.Hour, FileNaming.Name(buffer.First, buffer.Data.Span, ".json.gz"));
        var outcome = await _store.PutIfAbsentAsync(key, output.GetBuffer().AsMemory(0, (int)output.Length), null, cancellationToken).ConfigureAwait(false);
        if (outcome == PutOutcome.Created)
        {
            LakeLog.ErrorsWritten(_logger, buffer.Count, key);
        }

        return new PublishedFile(due, key, outcome, output.Length, 0);
    }
}
