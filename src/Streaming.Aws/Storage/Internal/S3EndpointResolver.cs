using Streaming.Aws.Internal;

namespace Streaming.Aws.Storage.Internal;

/// <summary>The S3 endpoint, picked as every adapter here picks its own (see <see cref="ConfiguredEndpoint"/>).</summary>
internal static class S3EndpointResolver
{
    public const string ServiceEndpointVariable = "AWS_ENDPOINT_URL_S3";
    public const string GlobalEndpointVariable = ConfiguredEndpoint.GlobalEndpointVariable;
    public const string IgnoreEndpointsVariable = ConfiguredEndpoint.IgnoreEndpointsVariable;

    public static Uri? Resolve(string? serviceUrl, string bucket, Func<string, string?> environment)
    {
        var endpoint = ConfiguredEndpoint.Resolve(serviceUrl, ServiceEndpointVariable, environment, "https://s3.eu-west-1.amazonaws.com", out var error);
        return error is null ? endpoint : throw new LakeStoreConfigurationException(bucket, null, "ResolveEndpoint", "InvalidEndpoint", error);
    }
}
