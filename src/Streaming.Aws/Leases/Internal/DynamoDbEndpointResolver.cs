using Streaming.Aws.Internal;

namespace Streaming.Aws.Leases.Internal;

/// <summary>The DynamoDB endpoint, picked as every adapter here picks its own (see <see cref="ConfiguredEndpoint"/>).</summary>
internal static class DynamoDbEndpointResolver
{
    public const string ServiceEndpointVariable = "AWS_ENDPOINT_URL_DYNAMODB";
    public const string GlobalEndpointVariable = ConfiguredEndpoint.GlobalEndpointVariable;
    public const string IgnoreEndpointsVariable = ConfiguredEndpoint.IgnoreEndpointsVariable;

    public static Uri? Resolve(string? serviceUrl, string tableName, Func<string, string?> environment)
    {
        var endpoint = ConfiguredEndpoint.Resolve(serviceUrl, ServiceEndpointVariable, environment, "https://dynamodb.eu-west-1.amazonaws.com", out var error);
        return error is null ? endpoint : throw new LeaseStoreConfigurationException(tableName, "ResolveEndpoint", "InvalidEndpoint", error);
    }
}
