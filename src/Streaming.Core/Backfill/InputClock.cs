namespace Streaming.Core.Backfill;

/// <summary>
/// The clock one piece's router and ingest run on, so that nothing they decide depends on when or how fast the run
/// went. <see cref="Fixed"/>: always the input's modification time (the arrival time of its events). <see
/// cref="Ticking"/>: starts there and moves one millisecond per reading; the router reads it at fixed event counts,
/// so "least recently used" among open partitions follows the input's own order.
/// </summary>
internal sealed class InputClock : TimeProvider
{
    private readonly long _startMs;
    private readonly bool _ticks;
    private long _readings;

    private InputClock(long startMs, bool ticks)
    {
        _startMs = startMs;
        _ticks = ticks;
    }

    public static InputClock Fixed(long ms) => new(ms, ticks: false);

    public static InputClock Ticking(long startMs) => new(startMs, ticks: true);

    public override DateTimeOffset GetUtcNow() =>
        DateTimeOffset.FromUnixTimeMilliseconds(_ticks ? _startMs + Interlocked.Increment(ref _readings) : _startMs);
}
