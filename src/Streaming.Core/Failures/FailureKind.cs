namespace Streaming.Core.Failures;

/// <summary>What a failure means for whoever hit it. Decided in one place: <see cref="FailureClassifier"/>.</summary>
public enum FailureKind
{
    /// <summary>Waiting helps (an outage, throttling, a timeout): retry with the one backoff policy, keep what is buffered.</summary>
    Transient,

    /// <summary>Waiting does not help: write what can be written, release the leases, say so in one line, stop.</summary>
    Permanent,

    /// <summary>Another worker holds the lease now: stop without writing.</summary>
    LeaseLost,

    /// <summary>The caller asked to stop.</summary>
    Cancelled,
}
