using System.Net;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Streaming.Aws.Leases;
using Streaming.Aws.Tests.Support;
using Streaming.Core.Leases;

namespace Streaming.Aws.Tests.Leases.Unit;

/// <summary>Error answers go through the real SDK pipeline (unmarshalling, retries) to the store's outcomes.</summary>
public sealed class SdkErrorTranslationTests
{
    private const string Table = "stubbed-leases";

    private static readonly Lease Owned = Lease.New("shardId-000000000000", ShardPosition.TrimHorizon, []) with { Owner = "worker-a", Counter = 3 };

    private static (DynamoDbLeaseStore Store, AmazonDynamoDBClient Client) StoreAnswering(StubHttpHandler handler, int maxRetries)
    {
        var options = new DynamoDbLeaseStoreOptions
        {
            TableName = Table,
            ServiceUrl = "http://127.0.0.1:9/",
            Region = "us-east-1",
            MaxRetries = maxRetries,
        };
        var config = DynamoDbLeaseClientFactory.CreateConfig(options, _ => null);
        config.HttpClientFactory = new StubHttpClientFactory(handler);
        var client = new AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), config);
        return (new DynamoDbLeaseStore(client, options), client);
    }

    private static StubHttpHandler Always(HttpStatusCode status, string type) =>
        new((_, _) => StubHttpHandler.Error(status, $"com.amazonaws.dynamodb.v20120810#{type}", "stubbed"));

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "ProvisionedThroughputExceededException")]
    [InlineData(HttpStatusCode.BadRequest, "ThrottlingException")]
    [InlineData(HttpStatusCode.BadRequest, "RequestLimitExceeded")]
    [InlineData(HttpStatusCode.InternalServerError, "InternalServerError")]
    public async Task Throttling_and_server_errors_are_retried_then_unavailable_with_the_code(HttpStatusCode status, string code)
    {
        var handler = Always(status, code);
        var (store, client) = StoreAnswering(handler, maxRetries: 1);
        using var _ = client;

        var error = await Assert.ThrowsAsync<LeaseStoreUnavailableException>(() => store.RenewAsync(Owned, CancellationToken.None));

        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Contains(Table, error.Message, StringComparison.Ordinal);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task A_gateway_answering_with_html_is_unavailable()
    {
        var handler = new StubHttpHandler((_, _) => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>bad gateway</html>") });
        var (store, client) = StoreAnswering(handler, maxRetries: 0);
        using var _ = client;

        await Assert.ThrowsAsync<LeaseStoreUnavailableException>(() => store.ListAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("AccessDeniedException")]
    [InlineData("ValidationException")]
    public async Task Refusals_are_configuration_errors_and_not_retried(string code)
    {
        var handler = Always(HttpStatusCode.BadRequest, code);
        var (store, client) = StoreAnswering(handler, maxRetries: 3);
        using var _ = client;

        var error = await Assert.ThrowsAsync<LeaseStoreConfigurationException>(() => store.GetAsync(Owned.ShardId, CancellationToken.None));

        Assert.Equal((Table, "GetItem", code), (error.TableName, error.Operation, error.ErrorCode));
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task A_failed_condition_is_a_lost_write_and_the_request_carries_the_documented_expressions()
    {
        var handler = Always(HttpStatusCode.BadRequest, "ConditionalCheckFailedException");
        var (store, client) = StoreAnswering(handler, maxRetries: 3);
        using var _ = client;

        var write = await store.ReleaseAsync(Owned, CancellationToken.None);

        Assert.Equal(LeaseWrite.Lost, write);
        var body = System.Text.Encoding.UTF8.GetString(Assert.Single(handler.Requests).Body);
        Assert.Contains("\"ConditionExpression\":\"#counter = :expected AND #owner = :owner\"", body, StringComparison.Ordinal);
        Assert.Contains("\"UpdateExpression\":\"SET #counter = :next, #updated_at = :updated_at REMOVE #owner\"", body, StringComparison.Ordinal);
        Assert.Contains("\":expected\":{\"N\":\"3\"}", body, StringComparison.Ordinal);
        Assert.Contains("\":next\":{\"N\":\"4\"}", body, StringComparison.Ordinal);
    }
}
