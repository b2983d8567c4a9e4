using Amazon;
using Amazon.Runtime;

namespace Streaming.Aws.Kinesis.Internal;

/// <summary>
/// Picks the region and endpoint the way the AWS SDKs do for a service without endpoint rules:
/// explicit option, then the standard environment variables, then the public endpoint of the region's partition.
/// </summary>
internal static class KinesisEndpointResolver
{
    public const string ServiceEndpointVariable = "AWS_ENDPOINT_URL_KINESIS";
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";
    public const string IgnoreEndpointsVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    public static Uri ResolveEndpoint(string? serviceUrl, string region, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(serviceUrl))
        {
            return new Uri(serviceUrl, UriKind.Absolute);
        }

        var ignoreConfigured = string.Equals(environment(IgnoreEndpointsVariable), "true", StringComparison.OrdinalIgnoreCase);
        if (!ignoreConfigured)
        {
            foreach (var variable in new[] { ServiceEndpointVariable, GlobalEndpointVariable })
            {
                var value = environment(variable);
                if (!string.IsNullOrWhiteSpace(value))
                {
                    return Uri.TryCreate(value, UriKind.Absolute, out var fromEnvironment)
                        ? fromEnvironment
                        : throw new KinesisException(
                            KinesisErrorKind.Fatal,
                            "ResolveEndpoint",
                            "InvalidEndpoint",
                            $"{variable} is '{value}'; it must be an absolute URL such as https://kinesis.eu-west-1.amazonaws.com");
                }
            }
        }

        // The partition's DNS suffix is what makes cn-* and gov regions differ; RegionEndpoint knows the partitions.
        var dnsSuffix = RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix;
        if (string.IsNullOrEmpty(dnsSuffix))
        {
            dnsSuffix = "amazonaws.com";
        }

        return new Uri($"https://{RequestSigner.ServiceName}.{region}.{dnsSuffix}/");
    }

    /// <summary>The configured region, else the SDK's region chain (environment, profile, instance metadata).</summary>
    public static string ResolveRegion(string? configured, Func<string?> sdkRegion)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }

        string? fromSdk;
        try
        {
            fromSdk = sdkRegion();
        }
        catch (AmazonClientException e)
        {
            throw NoRegion(e);
        }

        return string.IsNullOrWhiteSpace(fromSdk) ? throw NoRegion(null) : fromSdk;
    }

    public static string? SdkRegion() => FallbackRegionFactory.GetRegionEndpoint()?.SystemName;

    private static KinesisException NoRegion(Exception? cause) => new(
        KinesisErrorKind.Fatal,
        "ResolveRegion",
        "RegionNotConfigured",
        $"No AWS region: set {KinesisClientOptions.Section}:Region or AWS_REGION (for example eu-west-1)",
        innerException: cause);
}
