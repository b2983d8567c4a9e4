using Streaming.Aws.Tests.Support;
using Streaming.Cli.Produce;

namespace Streaming.Aws.Tests.Produce;

public sealed class TokenBucketTests
{
    [Fact]
    public async Task A_token_is_there_at_once_and_the_next_one_after_one_interval()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        var bucket = new TokenBucket(4, time);

        await bucket.TakeAsync(CancellationToken.None);
        var second = bucket.TakeAsync(CancellationToken.None).AsTask();

        Assert.False(second.IsCompleted);
        Assert.Equal(TimeSpan.FromMilliseconds(250), await time.NextTimerAsync(TimeSpan.MaxValue, TimeSpan.FromSeconds(10)));
        time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second;
    }

    [Fact]
    public async Task Idle_time_fills_the_bucket_up_to_one_second_of_tokens()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        var bucket = new TokenBucket(5, time);
        time.Advance(TimeSpan.FromMinutes(1));

        for (var i = 0; i < 5; i++)
        {
            Assert.True(bucket.TakeAsync(CancellationToken.None).IsCompletedSuccessfully, $"token {i}");
        }

        Assert.False(bucket.TakeAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Waiting_for_a_token_can_be_cancelled()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        var bucket = new TokenBucket(1, time);
        await bucket.TakeAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = bucket.TakeAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
