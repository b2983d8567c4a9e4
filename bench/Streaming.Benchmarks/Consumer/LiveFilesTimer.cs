namespace Streaming.Benchmarks.Consumer;

/// <summary>A timer of <see cref="LiveFilesClock"/>: fires when the clock is advanced past its due time.</summary>
internal sealed class LiveFilesTimer : ITimer
{
    private readonly LiveFilesClock _clock;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private TimeSpan _period = Timeout.InfiniteTimeSpan;

    public LiveFilesTimer(LiveFilesClock clock, TimerCallback callback, object? state)
    {
        _clock = clock;
        _callback = callback;
        _state = state;
    }

    public DateTimeOffset Due { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        _period = period;
        _clock.Schedule(this, dueTime == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + dueTime);
        return true;
    }

    public void Fire(LiveFilesClock clock)
    {
        if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan)
        {
            clock.Schedule(this, Due + _period);
        }

        _callback(_state);
    }

    public void Dispose() => _clock.Schedule(this, null);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
