using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Streaming.Core.Configuration;
using Streaming.Core.Ingest;
using Streaming.Core.Lake;
using Streaming.Parquet;

namespace Streaming.Cli.Commands;

/// <summary>Runs NDJSON inputs through one lake writer and reports what happened.</summary>
internal sealed class ConversionRun
{
    private readonly ILakeStore _store;
    private readonly LakeOptions _options;
    private readonly TextWriter? _progress;
    private readonly ILogger _logger;

    public ConversionRun(ILakeStore store, LakeOptions options, TextWriter? progress, ILogger logger)
    {
        _store = store;
        _options = options;
        _progress = progress;
        _logger = logger;
    }

    public async Task<ConversionSummary> RunAsync(IEnumerable<(string Name, Func<Stream> Open)> inputs, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var writer = await LakeWriter.OpenAsync(_store, new ParquetFileWriter(_options), _options, time, _logger, cancellationToken: cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        long bytesRead = 0;
        var lastReport = TimeSpan.Zero;
        foreach (var (name, open) in inputs)
        {
            using var stream = open();
            await NdjsonIngest.IngestAsync(stream, name, writer, _options.MaxEventSize.Bytes, time, n =>
            {
                bytesRead += n;
                if (_progress is not null && clock.Elapsed - lastReport >= TimeSpan.FromSeconds(2))
                {
                    lastReport = clock.Elapsed;
                    var s = writer.Stats;
                    _progress.WriteLine($"  {s.Events:N0} events, {bytesRead / 1048576.0:N0} MB read, {s.Events / clock.Elapsed.TotalSeconds:N0} events/s, {writer.OpenPartitions} open partitions, {writer.BufferedBytes / 1048576.0:N0} MB buffered");
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        var inputDone = clock.Elapsed;
        await writer.FlushAllAsync(FlushReason.EndOfInput, cancellationToken).ConfigureAwait(false);
        return new ConversionSummary(writer.Stats, bytesRead, clock.Elapsed, clock.Elapsed - inputDone);
    }
}
