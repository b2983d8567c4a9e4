using System.Collections.Concurrent;

namespace Streaming.Cli.Commands;

/// <summary>
/// Runs an async operation with every continuation on the calling thread. A conversion is a single-threaded
/// pipeline; letting library awaits (Parquet.Net yields between columns) hop to the thread pool costs context
/// switches and spinning, which on one CPU is a large share of the time of writing a file.
/// </summary>
internal sealed class SingleThreadContext : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

    public static T Run<T>(Func<Task<T>> operation)
    {
        var previous = Current;
        using var context = new Pump();
        SetSynchronizationContext(context.Context);
        try
        {
            var task = operation();
            task.ContinueWith(_ => context.Context._queue.CompleteAdding(), TaskScheduler.Default);
            foreach (var (callback, state) in context.Context._queue.GetConsumingEnumerable())
            {
                callback(state);
            }

            return task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        if (!_queue.IsAddingCompleted)
        {
            _queue.Add((d, state));
        }
        else
        {
            ThreadPool.QueueUserWorkItem(s => d(s), state);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("Send is not supported on a single-thread pump");

    public override SynchronizationContext CreateCopy() => this;

    private sealed class Pump : IDisposable
    {
        public SingleThreadContext Context { get; } = new();

        public void Dispose() => Context._queue.Dispose();
    }
}
