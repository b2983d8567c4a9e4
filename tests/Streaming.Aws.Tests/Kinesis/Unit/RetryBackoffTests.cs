using Streaming.Aws.Kinesis.Internal;

namespace Streaming.Aws.Tests.Kinesis.Unit;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(0, 50, 100)]
    [InlineData(1, 100, 200)]
    [InlineData(3, 400, 800)]
    [InlineData(6, 2500, 5000)]
    [InlineData(40, 2500, 5000)]
    public void Delays_double_per_attempt_within_the_cap_and_keep_at_least_half_the_step(int attempt, int lowMs, int highMs)
    {
        var shortest = RetryBackoff.Delay(attempt, Base, Max, jitter: 0);
        var longest = RetryBackoff.Delay(attempt, Base, Max, jitter: 1);

        Assert.Equal(TimeSpan.FromMilliseconds(lowMs), shortest);
        Assert.Equal(TimeSpan.FromMilliseconds(highMs), longest);
    }

    [Fact]
    public void Jitter_spreads_delays_between_the_bounds()
    {
        var delays = Enumerable.Range(0, 11).Select(i => RetryBackoff.Delay(2, Base, Max, i / 10.0)).ToList();

        Assert.Equal(delays.Order(), delays);
        Assert.Equal(11, delays.Distinct().Count());
    }
}
