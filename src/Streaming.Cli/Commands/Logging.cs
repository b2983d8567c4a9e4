using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Streaming.Cli.Commands;

internal static class Logging
{
    /// <summary>
    /// Logs go to standard error, so that standard output carries only results. <c>Streaming__Logging__Format=json</c>
    /// writes one JSON object per line (for log collectors) instead of text.
    /// </summary>
    public static ILoggerFactory CreateFactory(LogLevel minimum) => LoggerFactory.Create(b => Configure(b, minimum));

    public static void Configure(ILoggingBuilder b, LogLevel minimum)
    {
        b.SetMinimumLevel(minimum);
        if (string.Equals(Environment.GetEnvironmentVariable("Streaming__Logging__Format"), "json", StringComparison.OrdinalIgnoreCase))
        {
            b.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        b.AddFilter<ConsoleLoggerProvider>((category, level) => level >= minimum && (level >= LogLevel.Warning || !(category ?? string.Empty).StartsWith("Microsoft.", StringComparison.Ordinal)));
    }
}
