namespace Streaming.Aws.Internal;

/// <summary>
/// How every adapter here picks its endpoint, as the AWS SDKs do: the explicit option, then the service's
/// variable (AWS_ENDPOINT_URL_&lt;SERVICE&gt;), then AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is
/// true. Null means the SDK's regional endpoint.
/// </summary>
internal static class ConfiguredEndpoint
{
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";
    public const string IgnoreEndpointsVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    /// <returns>The endpoint, or null; <paramref name="error"/> says which variable is not a usable URL.</returns>
    public static Uri? Resolve(string? serviceUrl, string serviceVariable, Func<string, string?> environment, string example, out string? error)
    {
        error = null;
        if (!string.IsNullOrWhiteSpace(serviceUrl))
        {
            return new Uri(serviceUrl, UriKind.Absolute);
        }

        if (string.Equals(environment(IgnoreEndpointsVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var variable in new[] { serviceVariable, GlobalEndpointVariable })
        {
            var value = environment(variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            error = $"{variable} is '{value}'; it must be an absolute http or https URL such as {example}";
            return null;
        }

        return null;
    }

    /// <summary>
    /// Points an SDK client config at <paramref name="endpoint"/> when there is one (the region then only signs:
    /// ServiceURL and RegionEndpoint exclude each other), else at the region's endpoint when a region is given.
    /// </summary>
    public static void Apply(Amazon.Runtime.ClientConfig config, Uri? endpoint, string? region)
    {
        region = string.IsNullOrWhiteSpace(region) ? null : region.Trim();
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            if (region is not null)
            {
                config.AuthenticationRegion = region;
            }
        }
        else if (region is not null)
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
    }
}
