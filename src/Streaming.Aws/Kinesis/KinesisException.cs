namespace Streaming.Aws.Kinesis;

/// <summary>A Kinesis call that failed, translated into a <see cref="KinesisErrorKind"/>.</summary>
public sealed class KinesisException : Exception, Streaming.Core.Failures.IClassifiedFailure
{
    public KinesisException(
        KinesisErrorKind kind,
        string operation,
        string errorCode,
        string message,
        int? statusCode = null,
        Exception? innerException = null)
        : base($"Kinesis {operation} failed: {errorCode}: {message}", innerException)
    {
        Kind = kind;
        Operation = operation;
        ErrorCode = errorCode;
        ErrorMessage = message;
        StatusCode = statusCode;
    }

    public KinesisErrorKind Kind { get; }

    /// <summary>The operation that failed, e.g. <c>GetRecords</c>.</summary>
    public string Operation { get; }

    /// <summary>The AWS error code (e.g. <c>ExpiredIteratorException</c>) or the client's own code for local failures.</summary>
    public string ErrorCode { get; }

    /// <summary>The message as the service (or the client) gave it.</summary>
    public string ErrorMessage { get; }

    /// <summary>The HTTP status, when a response was received.</summary>
    public int? StatusCode { get; }

    /// <summary>Throttling and unavailability pass; everything else needs a different request.</summary>
    public bool IsTransient => Kind is KinesisErrorKind.Throttled or KinesisErrorKind.Unavailable;

    public string Resource => "Kinesis";

    public string Fix => Kind switch
    {
        KinesisErrorKind.NotFound => "check --stream (Streaming:Consumer:StreamName) and the region, then restart",
        KinesisErrorKind.AccessDenied => "give the worker's credentials kinesis:ListShards, kinesis:GetShardIterator and kinesis:GetRecords on the stream, then restart",
        _ => "check the Kinesis settings (Streaming:Kinesis) and the stream, then restart",
    };
}
