using Amazon.Runtime;

namespace Streaming.Aws.Kinesis;

/// <summary>How <see cref="KinesisClient"/> reaches Kinesis. Configuration section <c>Streaming:Kinesis</c>.</summary>
public sealed class KinesisClientOptions
{
    public const string Section = "Streaming:Kinesis";

    /// <summary>
    /// The region to sign for and to build the default endpoint from. When empty, the AWS SDK's region chain decides
    /// (AWS_REGION, AWS_DEFAULT_REGION, the profile, then instance metadata).
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// The endpoint, e.g. <c>http://127.0.0.1:4568</c> for kinesis-mock. When empty: AWS_ENDPOINT_URL_KINESIS,
    /// then AWS_ENDPOINT_URL, then <c>https://kinesis.{region}.{partition dns suffix}</c>.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>
    /// Static credentials, meant for emulators and local runs. Leave empty to use the AWS SDK's default chain
    /// (environment, profile, web identity / IRSA, container and instance roles).
    /// </summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    public string? SessionToken { get; set; }

    /// <summary>Retries after the first attempt for throttling, 5xx and network errors; 0 disables retries.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry waits between half and all of this; each further retry doubles it.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>No retry waits longer than this.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>One HTTP attempt is abandoned (and counted as unavailable) after this long.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <see cref="IKinesisClient.WaitForStreamActiveAsync"/> asks for the stream status.</summary>
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks every option; each message names the key and what would be right.</summary>
    public IReadOnlyList<string> Validate(string section = Section)
    {
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(ServiceUrl)
            && (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{section}:ServiceUrl is '{ServiceUrl}'; it must be an absolute http or https URL (for example http://127.0.0.1:4568)");
        }

        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            errors.Add($"{section}:AccessKeyId and {section}:SecretAccessKey must be set together, or both left empty to use the default credential chain");
        }

        if (!string.IsNullOrEmpty(SessionToken) && string.IsNullOrEmpty(AccessKeyId))
        {
            errors.Add($"{section}:SessionToken is set without {section}:AccessKeyId; set both keys or none");
        }

        if (MaxRetries is < 0 or > 20)
        {
            errors.Add($"{section}:MaxRetries is {MaxRetries}; it must be between 0 and 20 (for example 3)");
        }

        if (BaseRetryDelay <= TimeSpan.Zero || BaseRetryDelay > MaxRetryDelay)
        {
            errors.Add($"{section}:BaseRetryDelay is {BaseRetryDelay}; it must be positive and at most MaxRetryDelay ({MaxRetryDelay}) (for example 00:00:00.2)");
        }

        if (MaxRetryDelay > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{section}:MaxRetryDelay is {MaxRetryDelay}; it must be at most one minute (for example 00:00:05)");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}:RequestTimeout is {RequestTimeout}; it must be positive (for example 00:00:30)");
        }

        if (StatusPollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{section}:StatusPollInterval is {StatusPollInterval}; it must be positive (for example 00:00:01)");
        }

        return errors;
    }
}
