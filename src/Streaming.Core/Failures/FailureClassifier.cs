using Streaming.Core.Consumer;
using Streaming.Core.Leases;
using Streaming.Core.Schema;

namespace Streaming.Core.Failures;

/// <summary>
/// The one place that decides which failures are worth retrying. Transient: what an adapter marks so
/// (<see cref="IClassifiedFailure"/>), an unavailable lease table, throttled reads, and I/O errors of a local
/// lake. Permanent: what an adapter marks so, a schema conflict or a corrupt schema file, and anything
/// unexpected (a bug does not heal by retrying it).
/// </summary>
public static class FailureClassifier
{
    public static FailureKind Classify(Exception error, CancellationToken cancellationToken = default) => error switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => FailureKind.Cancelled,
        LeaseLostException => FailureKind.LeaseLost,
        IClassifiedFailure classified => classified.IsTransient ? FailureKind.Transient : FailureKind.Permanent,
        LeaseStoreUnavailableException or StreamThrottledException or TimeoutException => FailureKind.Transient,

        // A call that timed out on its own token (not the caller's) is an outage, not a stop.
        OperationCanceledException => FailureKind.Transient,
        SchemaConflictException or InvalidDataException or UnauthorizedAccessException => FailureKind.Permanent,
        IOException => FailureKind.Transient,
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Classify(aggregate.InnerExceptions[0], cancellationToken),
        _ => FailureKind.Permanent,
    };

    /// <summary>One line for a person: what failed, the error, and what would fix it.</summary>
    public static string Describe(Exception error)
    {
        if (error is AggregateException { InnerExceptions.Count: > 0 } aggregate)
        {
            return Describe(aggregate.InnerExceptions[0]);
        }

        var message = error.Message.ReplaceLineEndings(" ");
        return error switch
        {
            // Adapters' messages usually name the resource already ("S3 lake: PutObject of s3://b/k failed: ...").
            IClassifiedFailure classified when message.Contains(classified.Resource, StringComparison.OrdinalIgnoreCase) => $"{message}; {classified.Fix}",
            IClassifiedFailure classified => $"{classified.Resource}: {message}; {classified.Fix}",
            SchemaConflictException or InvalidDataException => $"lake schemas: {message}; check the files under _schemas/ (each must be a schema document this version wrote) and restart",
            _ => $"{error.GetType().Name}: {message}",
        };
    }
}
