using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Streaming.Core.Lake;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// Keeps why each file was written (the publisher's "Wrote {Rows} rows to {Key} ({Bytes} bytes, {Reason})" line,
/// event 100) and passes warnings and errors on to standard error, as <see cref="WarningLogger"/> does.
/// </summary>
internal sealed class LiveFilesLogger : ILogger
{
    private const int FileWrittenEventId = 100;

    public ConcurrentDictionary<string, FlushReason> Reasons { get; } = new(StringComparer.Ordinal);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Information and < LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id == FileWrittenEventId && state is IReadOnlyList<KeyValuePair<string, object?>> fields)
        {
            var key = fields.FirstOrDefault(f => f.Key == "Key").Value as string;
            if (key is not null && fields.FirstOrDefault(f => f.Key == "Reason").Value is FlushReason reason)
            {
                Reasons[key] = reason;
            }
        }

        WarningLogger.Instance.Log(logLevel, eventId, state, exception, formatter);
    }
}
