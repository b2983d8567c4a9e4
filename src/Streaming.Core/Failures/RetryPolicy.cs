namespace Streaming.Core.Failures;

/// <summary>
/// The one backoff policy: retries only what <see cref="FailureClassifier"/> calls transient, with exponential
/// backoff and jitter on the injected clock; anything else goes straight back to the caller.
/// </summary>
public sealed class RetryPolicy
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _first;
    private readonly TimeSpan _longest;

    public RetryPolicy(TimeProvider time, TimeSpan first, TimeSpan longest)
    {
        _time = time;
        _first = first;
        _longest = longest;
    }

    /// <summary>Runs <paramref name="action"/> until it succeeds or fails with something that is not transient.</summary>
    public async Task ExecuteAsync(Func<CancellationToken, Task> action, Action<Exception, TimeSpan>? onRetry, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            async ct =>
            {
                await action(ct).ConfigureAwait(false);
                return true;
            },
            onRetry,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="action"/> until it succeeds or fails with something that is not transient.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> action, Action<Exception, TimeSpan>? onRetry, CancellationToken cancellationToken)
    {
        var backoff = _first;
        while (true)
        {
            try
            {
                return await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (FailureClassifier.Classify(e, cancellationToken) == FailureKind.Transient && !cancellationToken.IsCancellationRequested)
            {
                var delay = backoff * (0.5 + (Random.Shared.NextDouble() / 2));
                onRetry?.Invoke(e, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _longest.Ticks));
            }
        }
    }
}
