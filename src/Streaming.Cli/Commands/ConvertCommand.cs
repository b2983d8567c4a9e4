using System.CommandLine;
using System.Diagnostics;
using Amazon.S3;
using Microsoft.Extensions.Logging;
using Streaming.Aws.Input;
using Streaming.Aws.Storage;
using Streaming.Core.Backfill;
using Streaming.Core.Configuration;
using Streaming.Core.Failures;
using Streaming.Core.Schema;
using Streaming.Parquet;
using Streaming.Storage.Local;

namespace Streaming.Cli.Commands;

/// <summary>
/// <c>streaming convert &lt;input&gt;... --lake &lt;dir|s3://...&gt;</c>: NDJSON files, S3 objects (plain or gzip, <c>-</c> for stdin)
/// into the lake, several inputs at a time (<see cref="BackfillRun"/>, docs/backfill.md).
/// </summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("input")
        {
            Description = "NDJSON inputs, plain or gzip (detected by content): files, s3://bucket/prefix/ (every object under it), s3://bucket/key, or - for standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress on standard error." };
        var threads = new Option<int?>("--threads") { Description = $"Inputs (or chunks of a large one) converted at once, and files encoded at once (default: every core, {Environment.ProcessorCount} here). The lake does not depend on it." };
        var inFlight = new Option<int?>("--inputs-in-flight") { Description = $"The memory budget is cut into this many shares, one per input being converted; at most this many run at once (default {BackfillOptions.DefaultInputsInFlight}, whatever the machine, so that files are cut at the same places everywhere)." };
        var chunkSize = new Option<string?>("--chunk-size") { Description = "Plain (not gzip) inputs larger than this are converted in line-aligned chunks of this size, each as an input of its own (default 64MiB; 0 never cuts)." };
        var onInputError = new Option<string?>("--on-input-error") { Description = "When an input cannot be read (corrupt gzip, vanished object): skip (default: report it, go on, exit 1 at the end) or stop (report it, start no other input, exit 1)." };
        var settings = new LakeSettings();
        var command = new Command("convert", "Convert newline-delimited JSON events into the lake (also the backfill path for old logs, local or in S3; re-runs skip what is done).");
        command.Arguments.Add(inputs);
        settings.AddTo(command);
        command.Options.Add(threads);
        command.Options.Add(inFlight);
        command.Options.Add(chunkSize);
        command.Options.Add(onInputError);
        command.Options.Add(json);
        command.Options.Add(quiet);
        command.SetAction(async (parse, ct) =>
        {
            var options = settings.Bind(parse, out var errors);
            if (options is null)
            {
                return Fail(errors);
            }

            var backfill = BindBackfill(parse, threads, inFlight, chunkSize, onInputError, out errors);
            if (backfill is null)
            {
                return Fail(errors);
            }

            var names = parse.GetValue(inputs)!;
            var missing = names.Where(f => f != "-" && !S3InputSource.IsS3Uri(f) && !File.Exists(f)).ToList();
            if (missing.Count > 0)
            {
                return Fail(missing.Select(f => $"input {f}: no such file"));
            }

            if (names.Count(n => n == "-") > 1)
            {
                return Fail(["standard input (-) can be read only once"]);
            }

            AmazonS3Client? s3 = null;
            try
            {
                var store = settings.OpenStore(parse);
                using var ownedStore = store as IDisposable;
                using var logging = new DeferredLogger(LogLevel.Warning, "streaming.convert");
                var resolved = new List<IConvertInput>();
                foreach (var name in names)
                {
                    if (name == "-")
                    {
                        resolved.Add(new StdinInput());
                    }
                    else if (S3InputSource.IsS3Uri(name))
                    {
                        s3 ??= OpenS3Client(name);
                        var listed = await ListWithRetryAsync(new S3InputSource(s3), name, logging, ct).ConfigureAwait(false);
                        if (listed.Count == 0)
                        {
                            await Console.Error.WriteLineAsync($"streaming convert: {name}: no objects there").ConfigureAwait(false);
                            return ExitCodes.Failed;
                        }

                        resolved.AddRange(listed);
                    }
                    else
                    {
                        resolved.Add(new LocalFileInput(name));
                    }
                }

                var run = new BackfillRun(store, new ParquetFileWriter(options), options, backfill, TimeProvider.System, logging);
                var clock = Stopwatch.StartNew();
                var result = await ConvertProgressDisplay.RunAsync(run.Progress, parse.GetValue(quiet), () => run.RunAsync(resolved, ct)).ConfigureAwait(false);
                var summary = new ConversionSummary(result.Stats, result.BytesRead, clock.Elapsed, TimeSpan.Zero) { Backfill = result };
                if (parse.GetValue(json))
                {
                    summary.WriteJson(Console.Out);
                }
                else
                {
                    summary.WriteText(Console.Out);
                }

                foreach (var failed in result.Pieces.Where(p => p.State == PieceState.Failed))
                {
                    await Console.Error.WriteLineAsync($"streaming convert: {failed.Error}").ConfigureAwait(false);
                }

                return result.Failed > 0 || result.NotStarted > 0 ? ExitCodes.Failed : ExitCodes.Ok;
            }
            catch (LakeLocationException e)
            {
                return Fail([e.Message]);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("streaming convert: interrupted; run the same command again to convert what is not done yet (finished inputs are skipped, nothing is written twice)").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or SchemaConflictException or IClassifiedFailure)
            {
                await Console.Error.WriteLineAsync($"streaming convert: {FailureClassifier.Describe(e)}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
            finally
            {
                s3?.Dispose();
            }
        });
        return command;
    }

    private static BackfillOptions? BindBackfill(ParseResult parse, Option<int?> threads, Option<int?> inFlight, Option<string?> chunkSize, Option<string?> onInputError, out IReadOnlyList<string> errors)
    {
        var backfill = new BackfillOptions();
        var problems = new List<string>();
        if (parse.GetValue(threads) is { } t)
        {
            backfill.Threads = t;
        }

        if (parse.GetValue(inFlight) is { } f)
        {
            backfill.InputsInFlight = f;
        }

        if (parse.GetValue(chunkSize) is { } c)
        {
            if (c.Trim() == "0")
            {
                backfill.ChunkBytes = null;
            }
            else if (ByteSize.TryParse(c, out var size))
            {
                backfill.ChunkBytes = size.Bytes;
            }
            else
            {
                problems.Add($"--chunk-size {c}: not a size; write for example 64MiB, or 0 to never cut inputs");
            }
        }

        switch (parse.GetValue(onInputError)?.Trim().ToLowerInvariant())
        {
            case null or "skip":
                backfill.OnInputError = InputErrorMode.Skip;
                break;
            case "stop":
                backfill.OnInputError = InputErrorMode.Stop;
                break;
            case var other:
                problems.Add($"--on-input-error {other}: write skip or stop");
                break;
        }

        problems.AddRange(backfill.Validate());
        errors = problems;
        return problems.Count == 0 ? backfill : null;
    }

    /// <summary>An S3 client for the inputs, with the lake's S3 settings (endpoint, region, path style: Streaming:S3:*).</summary>
    private static AmazonS3Client OpenS3Client(string uri)
    {
        if (!S3LakeLocation.TryParse(uri, out var location))
        {
            throw new LakeLocationException($"input {uri}: not an S3 location; write s3://bucket/prefix/ or s3://bucket/key");
        }

        return S3LakeClientFactory.Create(LakeSettings.S3Options(location));
    }

    private static Task<IReadOnlyList<IConvertInput>> ListWithRetryAsync(S3InputSource source, string uri, ILogger logger, CancellationToken cancellationToken) =>
        new RetryPolicy(TimeProvider.System, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)).ExecuteAsync(
            ct => source.ListAsync(uri, ct),
            (e, delay) => ConvertLog.ListingRetried(logger, uri, delay, FailureClassifier.Describe(e)),
            cancellationToken);

    private static int Fail(IEnumerable<string> errors)
    {
        foreach (var e in errors)
        {
            Console.Error.WriteLine($"streaming: {e}");
        }

        return ExitCodes.Usage;
    }

    /// <summary>
    /// Builds the console logging pipeline only when a message at or above <c>minimum</c> is actually logged.
    /// A conversion normally logs nothing at Warning, and with full JIT up front the logging and dependency
    /// injection machinery costs about 0.1 s of compilation (docs/benchmarks.md).
    /// </summary>
    private sealed class DeferredLogger : ILogger, IDisposable
    {
        private readonly LogLevel _minimum;
        private readonly string _category;
        private ILoggerFactory? _factory;
        private ILogger? _logger;

        public DeferredLogger(LogLevel minimum, string category)
        {
            _minimum = minimum;
            _category = category;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _minimum;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => Logger.BeginScope(state);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Logger.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        public void Dispose() => _factory?.Dispose();

        private ILogger Logger
        {
            get
            {
                if (_logger is null)
                {
                    _factory = Logging.CreateFactory(_minimum);
                    _logger = _factory.CreateLogger(_category);
                }

                return _logger;
            }
        }
    }
}
