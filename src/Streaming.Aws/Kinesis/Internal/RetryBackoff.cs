namespace Streaming.Aws.Kinesis.Internal;

internal static class RetryBackoff
{
    /// <summary>
    /// Exponential backoff with "equal jitter": the step doubles per attempt up to <paramref name="maxDelay"/>, half
    /// of it is always waited (so a burst of throttled shards never retries at once at zero) and the other half is
    /// spread by <paramref name="jitter"/> in [0, 1).
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var step = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(step, maxDelay.TotalMilliseconds);
        var clampedJitter = Math.Clamp(jitter, 0, 1);
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * clampedJitter));
    }
}
