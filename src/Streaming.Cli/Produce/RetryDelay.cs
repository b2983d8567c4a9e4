namespace Streaming.Cli.Produce;

internal static class RetryDelay
{
    /// <summary>
    /// Exponential backoff with equal jitter: the step doubles per retry up to <paramref name="maxDelay"/>; half of it
    /// is always waited and the other half spread by <paramref name="jitter"/> in [0, 1), so throttled producers
    /// neither hammer the shard nor retry in lockstep.
    /// </summary>
    public static TimeSpan For(int retry, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retry);
        var step = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30)), maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((step / 2) + (step / 2 * Math.Clamp(jitter, 0, 1)));
    }
}
