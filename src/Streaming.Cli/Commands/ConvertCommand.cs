using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Streaming.Cli.Commands;

/// <summary><c>streaming convert &lt;input&gt;... --lake &lt;dir&gt;</c>: NDJSON files (plain or gzip, <c>-</c> for stdin) into the lake.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("input")
        {
            Description = "NDJSON files, plain or gzip (detected by content); - reads standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress on standard error." };
        var settings = new LakeSettings();
        var command = new Command("convert", "Convert newline-delimited JSON events into the lake (also the backfill path for old logs).");
        command.Arguments.Add(inputs);
        settings.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(quiet);
        command.SetAction(async (parse, ct) =>
        {
            var options = settings.Bind(parse, out var errors);
            if (options is null)
            {
                return Fail(errors);
            }

            var files = parse.GetValue(inputs)!;
            var missing = files.Where(f => f != "-" && !File.Exists(f)).ToList();
            if (missing.Count > 0)
            {
                return Fail(missing.Select(f => $"input {f}: no such file"));
            }

            try
            {
                var store = settings.OpenStore(parse);
                using var ownedStore = store as IDisposable;
                using var logging = new DeferredLogger(LogLevel.Warning, "streaming.convert");
                var run = new ConversionRun(store, options, parse.GetValue(quiet) ? null : Console.Error, logging);
                var summary = SingleThreadContext.Run(() => run.RunAsync(
                    files.Select(f => f == "-"
                        ? ("stdin", (Func<Stream>)Console.OpenStandardInput)
                        : (Path.GetFullPath(f), () => new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))),
                    ct));
                if (parse.GetValue(json))
                {
                    summary.WriteJson(Console.Out);
                }
                else
                {
                    summary.WriteText(Console.Out);
                }

                return ExitCodes.Ok;
            }
            catch (LakeLocationException e)
            {
                return Fail([e.Message]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException
                or Streaming.Aws.Storage.LakeStoreUnavailableException or Streaming.Aws.Storage.LakeStoreConfigurationException)
            {
                await Console.Error.WriteLineAsync($"streaming convert: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        });
        return command;
    }

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
