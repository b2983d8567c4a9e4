using Microsoft.Extensions.Logging;

namespace Streaming.Benchmarks.Consumer;

/// <summary>Warnings and errors to standard error, as <c>streaming run</c> logs by default; everything below is off, so logging costs what it costs there.</summary>
internal sealed class WarningLogger : ILogger
{
    public static WarningLogger Instance { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Warning and < LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine($"{logLevel}: {formatter(state, exception)}{(exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})")}");
        }
    }
}
