namespace Streaming.Aws.Storage;

/// <summary>Where and how <see cref="S3LakeStore"/> writes the lake. Configuration section <c>Streaming:S3</c>.</summary>
public sealed class S3LakeStoreOptions
{
    public const string Section = "Streaming:S3";

    public const long MiB = 1024 * 1024;

    /// <summary>S3 refuses parts below this size, except the last one.</summary>
    public const long MinPartSize = 5 * MiB;

    /// <summary>The largest object a single PutObject (and a single part) may carry.</summary>
    public const long MaxSinglePutSize = 5L * 1024 * MiB;

    /// <summary>The bucket that holds the lake. <see cref="S3LakeLocation.TryParse"/> reads it from <c>s3://bucket/prefix</c>.</summary>
    public string Bucket { get; set; } = string.Empty;

    /// <summary>The lake root inside the bucket, without leading or trailing <c>/</c>; empty for the bucket's root.</summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>
    /// The endpoint, e.g. <c>http://127.0.0.1:4570</c> for s3rver or a MinIO URL. When empty: AWS_ENDPOINT_URL_S3,
    /// then AWS_ENDPOINT_URL, then the public endpoint of <see cref="Region"/>.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The region; when empty, the AWS SDK's region chain decides (AWS_REGION, the profile, instance metadata).</summary>
    public string? Region { get; set; }

    /// <summary>
    /// Path-style addressing (<c>http://host/bucket/key</c>) instead of virtual-hosted (<c>http://bucket.host/key</c>).
    /// S3-compatible servers (s3rver, MinIO, Ceph) usually need it; AWS does not.
    /// </summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>
    /// <c>None</c> (the bucket's default encryption applies), <c>AES256</c> (SSE-S3) or <c>aws:kms</c> (SSE-KMS with
    /// <see cref="KmsKeyId"/>).
    /// </summary>
    public string ServerSideEncryption { get; set; } = S3Encryption.None;

    /// <summary>The KMS key (id, ARN or alias) for <c>aws:kms</c>; required with it, refused without it.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>Objects larger than this are uploaded in parts; smaller ones with a single PutObject.</summary>
    public long MultipartThreshold { get; set; } = 16 * MiB;

    /// <summary>The size of each part of a multipart upload (the last one may be smaller).</summary>
    public long PartSize { get; set; } = 8 * MiB;

    /// <summary>How many parts of one object are uploaded at the same time.</summary>
    public int UploadConcurrency { get; set; } = 4;

    /// <summary>
    /// Before each create-if-absent, ask whether the key exists (HeadObject) and write nothing if it does. Servers
    /// that ignore <c>If-None-Match: *</c> (s3rver, older MinIO and Ceph) would otherwise overwrite. Null (the
    /// default) turns it on exactly when an endpoint is configured (<see cref="ServiceUrl"/>, AWS_ENDPOINT_URL_S3 or
    /// AWS_ENDPOINT_URL): AWS S3 itself enforces the condition.
    /// </summary>
    public bool? VerifyNoOverwrite { get; set; }

    /// <summary>Retries after the first attempt for throttling, 5xx and network errors (the SDK's standard retry mode).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>One HTTP attempt (one PutObject, one part) is abandoned after this long and counts as unavailable.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Establishing a connection is abandoned after this long (at most <see cref="RequestTimeout"/>).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Keys per ListObjectsV2 page; null lets S3 return its maximum (1000). Small values only make tests paginate.</summary>
    internal int? ListPageSize { get; set; }

    /// <summary>Checks every option; each message names the key and what would be right.</summary>
    public IReadOnlyList<string> Validate(string section = Section)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            errors.Add($"{section}:Bucket is required; set it to the bucket of the lake (for example my-lake), or pass the lake as s3://my-lake/events");
        }
        else if (!S3LakeLocation.IsValidBucketName(Bucket))
        {
            errors.Add($"{section}:Bucket is '{Bucket}'; a bucket name has 3 to 63 characters from a-z, 0-9, '.' and '-', starting and ending with a letter or digit (for example my-lake)");
        }

        if (!S3LakeLocation.IsValidPrefix(Prefix))
        {
            errors.Add($"{section}:Prefix is '{Prefix}'; it must be empty or '/'-separated names without empty, '.' or '..' segments, backslashes or control characters (for example events or lake/prod)");
        }

        if (!string.IsNullOrEmpty(ServiceUrl)
            && (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{section}:ServiceUrl is '{ServiceUrl}'; it must be an absolute http or https URL (for example http://127.0.0.1:4570)");
        }

        if (Region is not null && (Region.Length == 0 || Region.Any(char.IsWhiteSpace)))
        {
            errors.Add($"{section}:Region is '{Region}'; it must be a region name without spaces (for example eu-west-1), or left unset to use the SDK's region chain");
        }

        if (!S3Encryption.IsKnown(ServerSideEncryption))
        {
            errors.Add($"{section}:ServerSideEncryption is '{ServerSideEncryption}'; it must be None, AES256 (SSE-S3) or aws:kms (SSE-KMS, with {section}:KmsKeyId)");
        }
        else if (S3Encryption.IsKms(ServerSideEncryption) && string.IsNullOrWhiteSpace(KmsKeyId))
        {
            errors.Add($"{section}:KmsKeyId is required with ServerSideEncryption aws:kms; set it to a key id, ARN or alias (for example alias/streaming-lake)");
        }
        else if (!S3Encryption.IsKms(ServerSideEncryption) && !string.IsNullOrEmpty(KmsKeyId))
        {
            errors.Add($"{section}:KmsKeyId is set but ServerSideEncryption is '{ServerSideEncryption}'; set {section}:ServerSideEncryption to aws:kms or remove the key id");
        }

        if (PartSize < MinPartSize || PartSize > MaxSinglePutSize)
        {
            errors.Add($"{section}:PartSize is {PartSize}; S3 parts must be between 5 MiB ({MinPartSize}) and 5 GiB (for example {8 * MiB} for 8 MiB)");
        }

        if (MultipartThreshold < MinPartSize || MultipartThreshold > MaxSinglePutSize)
        {
            errors.Add($"{section}:MultipartThreshold is {MultipartThreshold}; it must be between 5 MiB ({MinPartSize}) and 5 GiB, the largest single PutObject (for example {16 * MiB} for 16 MiB)");
        }

        if (UploadConcurrency is < 1 or > 32)
        {
            errors.Add($"{section}:UploadConcurrency is {UploadConcurrency}; it must be between 1 and 32 (for example 4)");
        }

        if (MaxRetries is < 0 or > 10)
        {
            errors.Add($"{section}:MaxRetries is {MaxRetries}; it must be between 0 and 10 (for example 3)");
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(15))
        {
            errors.Add($"{section}:RequestTimeout is {RequestTimeout}; it must be positive and at most 15 minutes (for example 00:01:00)");
        }

        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > RequestTimeout)
        {
            errors.Add($"{section}:ConnectTimeout is {ConnectTimeout}; it must be positive and at most RequestTimeout ({RequestTimeout}) (for example 00:00:05)");
        }

        if (ListPageSize is < 1 or > 1000)
        {
            errors.Add($"{section}:ListPageSize is {ListPageSize}; it must be between 1 and 1000");
        }

        return errors;
    }
}
