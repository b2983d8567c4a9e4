using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Streaming.Aws.Internal;
using Streaming.Aws.Leases.Internal;

namespace Streaming.Aws.Leases;

/// <summary>
/// Builds the DynamoDB client the lease store expects: few retries and short timeouts, so that a renewal fails
/// within seconds instead of hanging past the failover time. Share the client with anything else on the table.
/// </summary>
public static class DynamoDbLeaseClientFactory
{
    /// <summary>
    /// A client for <paramref name="options"/>. Without <paramref name="credentials"/> the SDK's default chain
    /// is used (environment, profile, web identity / IRSA, container and instance roles).
    /// </summary>
    public static AmazonDynamoDBClient Create(DynamoDbLeaseStoreOptions options, AWSCredentials? credentials = null)
    {
        var config = CreateConfig(options, Environment.GetEnvironmentVariable);
        return credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
    }

    internal static AmazonDynamoDBConfig CreateConfig(DynamoDbLeaseStoreOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        var config = new AmazonDynamoDBConfig
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = options.MaxRetries,
            Timeout = options.RequestTimeout,
            ConnectTimeout = options.RequestTimeout,
        };

        ConfiguredEndpoint.Apply(config, DynamoDbEndpointResolver.Resolve(options.ServiceUrl, options.TableName, environment), options.Region);

        return config;
    }
}
