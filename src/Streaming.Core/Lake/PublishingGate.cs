namespace Streaming.Core.Lake;

/// <summary>
/// Bounds the memory of files being published (encodes and encoded files waiting for their upload) across every
/// shard of a process. Without it, memory pressure feeds itself: the router writes buffers early, each early
/// buffer becomes an encode and an encoded file in flight, and those push the process further over. A publish
/// may start while the bytes in flight stay within the limit, or when nothing is in flight at all (so a file
/// larger than the limit still goes, alone).
/// </summary>
internal sealed class PublishingGate
{
    private readonly long _limit;
    private readonly object _lock = new();
    private readonly List<TaskCompletionSource> _waiters = [];
    private long _inFlight;

    public PublishingGate(long limit)
    {
        _limit = Math.Max(1, limit);
    }

    public long InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    public async Task EnterAsync(long bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource waiter;
            lock (_lock)
            {
                if (_inFlight == 0 || _inFlight + bytes <= _limit)
                {
                    _inFlight += bytes;
                    return;
                }

                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add(waiter);
            }

            await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Changes what an entered publish holds (its encode became a file of another size).</summary>
    public void Adjust(long delta)
    {
        lock (_lock)
        {
            _inFlight += delta;
        }
    }

    public void Leave(long bytes)
    {
        List<TaskCompletionSource> wake;
        lock (_lock)
        {
            _inFlight -= bytes;
            wake = [.. _waiters];
            _waiters.Clear();
        }

        foreach (var w in wake)
        {
            w.TrySetResult();
        }
    }
}
