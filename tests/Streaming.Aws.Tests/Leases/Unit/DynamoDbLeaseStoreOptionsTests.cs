using Amazon;
using Streaming.Aws.Leases;
using Streaming.Aws.Leases.Internal;

namespace Streaming.Aws.Tests.Leases.Unit;

public sealed class DynamoDbLeaseStoreOptionsTests
{
    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void A_table_name_is_all_that_is_required()
    {
        Assert.Empty(new DynamoDbLeaseStoreOptions { TableName = "streaming-leases" }.Validate());
    }

    [Fact]
    public void A_missing_table_name_is_reported_with_its_key()
    {
        var error = Assert.Single(new DynamoDbLeaseStoreOptions().Validate());

        Assert.StartsWith("Streaming:Leases:TableName is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_wrong_value_is_reported_with_its_key_and_an_example()
    {
        var errors = new DynamoDbLeaseStoreOptions
        {
            TableName = "no spaces allowed",
            ServiceUrl = "ftp://nope",
            Region = "eu west 1",
            MaxRetries = -1,
            RequestTimeout = TimeSpan.Zero,
            TableActiveTimeout = TimeSpan.Zero,
            TableStatusPollInterval = TimeSpan.FromSeconds(-1),
        }.Validate();

        Assert.Contains(errors, e => e.StartsWith("Streaming:Leases:TableName is 'no spaces allowed'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Leases:ServiceUrl", StringComparison.Ordinal) && e.Contains("http://127.0.0.1:4569", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Leases:Region", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Leases:MaxRetries", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Leases:RequestTimeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Leases:TableActiveTimeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Streaming:Leases:TableStatusPollInterval", StringComparison.Ordinal));
        Assert.Equal(7, errors.Count);
    }

    [Fact]
    public void The_store_and_the_client_factory_refuse_invalid_options()
    {
        var options = new DynamoDbLeaseStoreOptions { TableName = "x" };

        var fromFactory = Assert.Throws<ArgumentException>(() => DynamoDbLeaseClientFactory.Create(options));
        var fromStore = Assert.Throws<ArgumentException>(() => new DynamoDbLeaseStore(options));

        Assert.Contains("Streaming:Leases:TableName", fromFactory.Message, StringComparison.Ordinal);
        Assert.Contains("Streaming:Leases:TableName", fromStore.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_gives_up_quickly_and_signs_for_the_configured_region_at_an_explicit_endpoint()
    {
        var config = DynamoDbLeaseClientFactory.CreateConfig(
            new DynamoDbLeaseStoreOptions { TableName = "leases", ServiceUrl = "http://127.0.0.1:4569", Region = "eu-west-1" },
            name => name == DynamoDbEndpointResolver.ServiceEndpointVariable ? "http://ignored:1" : null);

        Assert.Equal("http://127.0.0.1:4569/", config.ServiceURL);
        Assert.Equal("eu-west-1", config.AuthenticationRegion);
        Assert.Equal(3, config.MaxErrorRetry);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(2), config.ConnectTimeout);
    }

    [Fact]
    public void Without_an_endpoint_the_region_picks_the_public_one()
    {
        var config = DynamoDbLeaseClientFactory.CreateConfig(new DynamoDbLeaseStoreOptions { TableName = "leases", Region = "eu-west-1", MaxRetries = 1 }, NoEnvironment);

        Assert.Null(config.ServiceURL);
        Assert.Equal(RegionEndpoint.EUWest1, config.RegionEndpoint);
        Assert.Equal(1, config.MaxErrorRetry);
    }

    [Fact]
    public void The_endpoint_comes_from_the_option_then_the_DynamoDB_variable_then_the_global_one()
    {
        var both = new Dictionary<string, string>
        {
            [DynamoDbEndpointResolver.ServiceEndpointVariable] = "http://dynamo.local:1",
            [DynamoDbEndpointResolver.GlobalEndpointVariable] = "http://everything.local:2",
        };
        var globalOnly = new Dictionary<string, string> { [DynamoDbEndpointResolver.GlobalEndpointVariable] = "http://everything.local:2" };
        var ignored = new Dictionary<string, string>(both) { [DynamoDbEndpointResolver.IgnoreEndpointsVariable] = "TRUE" };

        Assert.Equal(new Uri("http://option.local:3"), DynamoDbEndpointResolver.Resolve("http://option.local:3", "t", both.GetValueOrDefault));
        Assert.Equal(new Uri("http://dynamo.local:1"), DynamoDbEndpointResolver.Resolve(null, "t", both.GetValueOrDefault));
        Assert.Equal(new Uri("http://everything.local:2"), DynamoDbEndpointResolver.Resolve("", "t", globalOnly.GetValueOrDefault));
        Assert.Null(DynamoDbEndpointResolver.Resolve(null, "t", ignored.GetValueOrDefault));
        Assert.Null(DynamoDbEndpointResolver.Resolve(null, "t", NoEnvironment));
    }

    [Fact]
    public void A_malformed_endpoint_variable_is_a_configuration_error_naming_the_variable()
    {
        var error = Assert.Throws<LeaseStoreConfigurationException>(() => DynamoDbEndpointResolver.Resolve(
            null,
            "leases",
            name => name == DynamoDbEndpointResolver.ServiceEndpointVariable ? "dynamo:nowhere" : null));

        Assert.Contains("AWS_ENDPOINT_URL_DYNAMODB is 'dynamo:nowhere'", error.Message, StringComparison.Ordinal);
        Assert.Equal("leases", error.TableName);
    }
}
