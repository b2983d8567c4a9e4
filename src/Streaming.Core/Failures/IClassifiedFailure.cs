namespace Streaming.Core.Failures;

/// <summary>
/// An adapter's failure, already told apart at the boundary: <see cref="IsTransient"/> (unavailable, throttled,
/// timed out: waiting helps) or not (access denied, no such bucket or table, a corrupt file: only a change of
/// configuration helps). The core decides what to do with it (<see cref="FailureClassifier"/>).
/// </summary>
public interface IClassifiedFailure
{
    bool IsTransient { get; }

    /// <summary>What failed, for a person: <c>s3://lake-prod</c>, <c>streaming-leases</c>, <c>Kinesis</c>; named in front of the message unless the message names it.</summary>
    string Resource { get; }

    /// <summary>What would fix a permanent failure, for a person.</summary>
    string Fix { get; }
}
