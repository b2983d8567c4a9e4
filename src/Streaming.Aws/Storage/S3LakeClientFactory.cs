using Amazon.Runtime;
using Streaming.Aws.Internal;
using Amazon.S3;
using Streaming.Aws.Storage.Internal;

namespace Streaming.Aws.Storage;

/// <summary>
/// Builds the S3 client <see cref="S3LakeStore"/> expects: the SDK's standard retries bounded by
/// <see cref="S3LakeStoreOptions.MaxRetries"/>, per-attempt timeouts, path-style when asked, and checksums only where
/// S3 requires them (the SDK's newer defaults add CRC trailers that several S3-compatible servers reject or store).
/// </summary>
public static class S3LakeClientFactory
{
    /// <summary>
    /// A client for <paramref name="options"/>. Without <paramref name="credentials"/> the SDK's default chain is used
    /// (environment, profile, web identity / IRSA, container and instance roles).
    /// </summary>
    public static AmazonS3Client Create(S3LakeStoreOptions options, AWSCredentials? credentials = null)
    {
        var config = CreateConfig(options, Environment.GetEnvironmentVariable);
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    internal static AmazonS3Config CreateConfig(S3LakeStoreOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = options.MaxRetries,
            Timeout = options.RequestTimeout,
            ConnectTimeout = options.ConnectTimeout,
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };

        ConfiguredEndpoint.Apply(config, S3EndpointResolver.Resolve(options.ServiceUrl, options.Bucket, environment), options.Region);

        return config;
    }
}
