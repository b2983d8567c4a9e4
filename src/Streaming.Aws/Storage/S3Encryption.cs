namespace Streaming.Aws.Storage;

/// <summary>The values of <see cref="S3LakeStoreOptions.ServerSideEncryption"/>.</summary>
public static class S3Encryption
{
    /// <summary>Send no encryption header: the bucket's default encryption applies (SSE-S3 unless configured otherwise).</summary>
    public const string None = "None";

    /// <summary>SSE-S3: keys managed by S3 (<c>x-amz-server-side-encryption: AES256</c>).</summary>
    public const string Aes256 = "AES256";

    /// <summary>SSE-KMS with <see cref="S3LakeStoreOptions.KmsKeyId"/> (<c>x-amz-server-side-encryption: aws:kms</c>).</summary>
    public const string Kms = "aws:kms";

    public static bool IsKnown(string? value) => IsNone(value) || IsAes256(value) || IsKms(value);

    public static bool IsNone(string? value) => string.IsNullOrEmpty(value) || string.Equals(value, None, StringComparison.OrdinalIgnoreCase);

    public static bool IsAes256(string? value) => string.Equals(value, Aes256, StringComparison.OrdinalIgnoreCase);

    public static bool IsKms(string? value) => string.Equals(value, Kms, StringComparison.OrdinalIgnoreCase);
}
