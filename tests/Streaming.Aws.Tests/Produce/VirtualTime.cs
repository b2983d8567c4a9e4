using Streaming.Aws.Tests.Support;

namespace Streaming.Aws.Tests.Produce;

internal static class VirtualTime
{
    /// <summary>Runs <paramref name="task"/> to the end, advancing the fake clock each time the code under test starts to wait.</summary>
    public static async Task<T> RunAsync<T>(TimerWatchingTimeProvider time, Func<Task<T>> start)
    {
        var task = start();
        while (!task.IsCompleted)
        {
            var timer = time.NextTimerAsync(TimeSpan.MaxValue, TimeSpan.FromSeconds(30));
            if (await Task.WhenAny(task, timer) == timer)
            {
                time.Advance(await timer);
            }
        }

        return await task;
    }
}
