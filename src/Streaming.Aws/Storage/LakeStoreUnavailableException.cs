namespace Streaming.Aws.Storage;

/// <summary>
/// S3 could not be reached, timed out or kept throttling / failing with 5xx after the configured retries. Nothing is
/// known to have been written under the key (a create-if-absent left no partial object), so the caller keeps what
/// it buffered and tries again later; the same deterministic key makes the retry safe.
/// </summary>
public sealed class LakeStoreUnavailableException : Exception, Streaming.Core.Failures.IClassifiedFailure
{
    public LakeStoreUnavailableException(string bucket, string? key, string operation, string errorCode, string message, Exception? innerException = null)
        : base($"S3 lake unavailable: {operation} of s3://{bucket}/{key} failed: {errorCode}: {message}", innerException)
    {
        Bucket = bucket;
        Key = key;
        Operation = operation;
        ErrorCode = errorCode;
    }

    public string Bucket { get; }

    /// <summary>The object key in the bucket (prefix included), or the listed prefix.</summary>
    public string? Key { get; }

    /// <summary>The S3 operation, e.g. <c>PutObject</c>.</summary>
    public string Operation { get; }

    /// <summary>The S3 error code (<c>SlowDown</c>, <c>InternalError</c>) or the network failure (<c>ConnectionRefused</c>, <c>Timeout</c>).</summary>
    public string ErrorCode { get; }

    public bool IsTransient => true;

    public string Resource => $"s3://{Bucket}";

    public string Fix => "nothing to change: writes are retried with backoff while the buffers are kept";
}
