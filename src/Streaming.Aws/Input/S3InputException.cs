using Streaming.Core.Failures;

namespace Streaming.Aws.Input;

/// <summary>
/// Reading the S3 inputs of <c>convert</c> failed for a reason that concerns the whole bucket: transient (throttled,
/// unavailable, the network) or not (access denied, no such bucket, wrong credentials or region). An object that alone
/// cannot be read is an <see cref="Streaming.Core.Backfill.InputUnreadableException"/> instead.
/// </summary>
public sealed class S3InputException : Exception, IClassifiedFailure
{
    public S3InputException(bool isTransient, string bucket, string? key, string operation, string errorCode, string message, Exception? innerException = null)
        : base($"S3 input: {operation} of s3://{bucket}/{key} failed: {errorCode}: {message}", innerException)
    {
        IsTransient = isTransient;
        Bucket = bucket;
        ErrorCode = errorCode;
    }

    public bool IsTransient { get; }

    public string Bucket { get; }

    public string ErrorCode { get; }

    public string Resource => $"s3://{Bucket}";

    public string Fix => ErrorCode switch
    {
        _ when IsTransient => "nothing to change: the object is read again with backoff",
        "NoSuchBucket" => "check the bucket name of the input and the Streaming:S3 endpoint and region",
        "AccessDenied" or "AllAccessDisabled" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken"
            => "give the credentials s3:ListBucket on the input prefix and s3:GetObject on its objects (README, Backfill from S3)",
        _ => "check the input URI and the Streaming:S3 settings",
    };
}
