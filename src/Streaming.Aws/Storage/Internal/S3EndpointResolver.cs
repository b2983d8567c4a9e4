namespace Streaming.Aws.Storage.Internal;

/// <summary>
/// The endpoint the way the Kinesis and DynamoDB adapters pick theirs: explicit option, then AWS_ENDPOINT_URL_S3, then
/// AWS_ENDPOINT_URL (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true). Null means the SDK's regional endpoint.
/// </summary>
internal static class S3EndpointResolver
{
    public const string ServiceEndpointVariable = "AWS_ENDPOINT_URL_S3";
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";
    public const string IgnoreEndpointsVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    public static Uri? Resolve(string? serviceUrl, string bucket, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(serviceUrl))
        {
            return new Uri(serviceUrl, UriKind.Absolute);
        }

        if (string.Equals(environment(IgnoreEndpointsVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var variable in new[] { ServiceEndpointVariable, GlobalEndpointVariable })
        {
            var value = environment(variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? uri
                : throw new LakeStoreConfigurationException(
                    bucket,
                    null,
                    "ResolveEndpoint",
                    "InvalidEndpoint",
                    $"{variable} is '{value}'; it must be an absolute http or https URL such as https://s3.eu-west-1.amazonaws.com");
        }

        return null;
    }
}
