using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Streaming.Cli.Commands;

internal static class Logging
{
    /// <summary>Logs go to standard error, so that standard output carries only results.</summary>
    public static ILoggerFactory CreateFactory(LogLevel minimum) => LoggerFactory.Create(b => b
        .SetMinimumLevel(minimum)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        })
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddFilter<ConsoleLoggerProvider>((_, level) => level >= minimum));
}
