namespace Streaming.Cli.Produce;

/// <summary>
/// Paces events: a bucket that fills at the rate and holds at most one second of tokens, so a stall (a slow call, a
/// retry) is caught up by at most that much and the average rate holds. A caller without a token waits on the
/// <see cref="TimeProvider"/> for exactly as long as the next token takes; nothing spins.
/// </summary>
internal sealed class TokenBucket
{
    private const double Tolerance = 1e-9;

    private readonly TimeProvider _time;
    private readonly double _rate;
    private readonly double _capacity;
    private double _tokens;
    private long _last;

    public TokenBucket(double ratePerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        _time = time;
        _rate = ratePerSecond;
        _capacity = Math.Max(1, ratePerSecond);
        _tokens = 1;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes one token, waiting for it if the bucket is empty.</summary>
    public async ValueTask TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _rate));
            _last = now;
            if (_tokens >= 1 - Tolerance)
            {
                _tokens = Math.Max(0, _tokens - 1);
                return;
            }

            var ticks = (long)Math.Ceiling((1 - _tokens) / _rate * TimeSpan.TicksPerSecond);
            await Task.Delay(TimeSpan.FromTicks(Math.Max(1, ticks)), _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
