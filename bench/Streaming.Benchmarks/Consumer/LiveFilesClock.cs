namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// A simulated clock for <see cref="LiveFilesBenchmark"/>: time moves only when the driver advances it, and timers
/// (the consumer's delays and stop timeouts) fire then. The bench project does not reference
/// Microsoft.Extensions.TimeProvider.Testing, so this is the few lines of FakeTimeProvider the benchmark needs.
/// </summary>
internal sealed class LiveFilesClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<LiveFilesTimer> _timers = [];
    private DateTimeOffset _now;

    public LiveFilesClock(DateTimeOffset start)
    {
        _now = start;
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Moves the clock forward to <paramref name="time"/> and fires the timers due by then, in due order.</summary>
    public void AdvanceTo(DateTimeOffset time)
    {
        while (true)
        {
            LiveFilesTimer? next;
            lock (_lock)
            {
                if (time < _now)
                {
                    throw new InvalidOperationException($"the clock cannot go back from {_now:O} to {time:O}");
                }

                next = _timers.Where(t => t.Due <= time).OrderBy(t => t.Due).FirstOrDefault();
                if (next is null)
                {
                    _now = time;
                    return;
                }

                _now = next.Due;
                _timers.Remove(next);
            }

            next.Fire(this);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new LiveFilesTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    internal void Schedule(LiveFilesTimer timer, DateTimeOffset? due)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
            if (due is { } at)
            {
                timer.Due = at;
                _timers.Add(timer);
            }
        }
    }
}
