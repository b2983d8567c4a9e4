using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Streaming.Aws.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells the test when code under test starts waiting, so the test advances
/// time exactly when a delay is pending instead of guessing.
/// </summary>
internal sealed class TimerWatchingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public TimerWatchingTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created that is no longer than <paramref name="atMost"/>.</summary>
    public async Task<TimeSpan> NextTimerAsync(TimeSpan atMost, TimeSpan realTimeout)
    {
        using var timeout = new CancellationTokenSource(realTimeout);
        while (true)
        {
            var dueTime = await _created.Reader.ReadAsync(timeout.Token);
            if (dueTime <= atMost)
            {
                return dueTime;
            }
        }
    }
}
