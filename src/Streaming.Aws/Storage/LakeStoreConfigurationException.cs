namespace Streaming.Aws.Storage;

/// <summary>
/// S3 refused a call for a reason that waiting will not fix: the bucket does not exist, access is denied, the
/// credentials or the KMS key are wrong, the request is invalid. Fix the configuration or the IAM policy and restart.
/// </summary>
public sealed class LakeStoreConfigurationException : Exception, Streaming.Core.Failures.IClassifiedFailure
{
    public LakeStoreConfigurationException(string bucket, string? key, string operation, string errorCode, string message, Exception? innerException = null)
        : base($"S3 lake: {operation} of s3://{bucket}/{key} failed: {errorCode}: {message}", innerException)
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

    /// <summary>The S3 error code, e.g. <c>AccessDenied</c>, <c>NoSuchBucket</c>, <c>KMS.NotFoundException</c>.</summary>
    public string ErrorCode { get; }

    public bool IsTransient => false;

    public string Resource => $"s3://{Bucket}";

    public string Fix => ErrorCode switch
    {
        "NoSuchBucket" => "create the bucket, or point --lake (Streaming:Lake) at one that exists, then restart",
        "AccessDenied" or "AllAccessDisabled" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken"
            => "give the worker's credentials s3:PutObject, s3:GetObject and s3:ListBucket on the lake prefix (docs/s3-lake.md), then restart",
        _ when ErrorCode.StartsWith("KMS", StringComparison.Ordinal)
            => "check Streaming:S3:KmsKeyId and that the role may use the key (kms:GenerateDataKey), then restart",
        _ => "check the Streaming:S3 settings and the IAM policy (docs/s3-lake.md), then restart",
    };
}
