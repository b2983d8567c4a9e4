using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Streaming.Aws.Leases;
using Streaming.Aws.Tests.Support;

namespace Streaming.Aws.Tests.Leases;

[Collection(DynamoDbEmulatorCollection.Name)]
public sealed class LeaseTableTests
{
    private readonly DynamoDbEmulatorFixture _fixture;

    public LeaseTableTests(DynamoDbEmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    private async Task<TableDescription> DescribeAsync(string table) =>
        (await _fixture.Client.DescribeTableAsync(new DescribeTableRequest { TableName = table })).Table;

    [Fact]
    public async Task EnsureTable_creates_an_on_demand_table_keyed_by_shard_id_and_waits_until_it_is_active()
    {
        var table = DynamoDbEmulatorFixture.UniqueTableName("ensure");
        var store = new DynamoDbLeaseStore(_fixture.Client, _fixture.Options(table));

        await store.EnsureTableAsync(CancellationToken.None);

        var description = await DescribeAsync(table);
        Assert.Equal(TableStatus.ACTIVE, description.TableStatus);
        var key = Assert.Single(description.KeySchema);
        Assert.Equal(("shard_id", KeyType.HASH), (key.AttributeName, key.KeyType));
        Assert.Equal(ScalarAttributeType.S, Assert.Single(description.AttributeDefinitions).AttributeType);
        Assert.Equal(BillingMode.PAY_PER_REQUEST, description.BillingModeSummary?.BillingMode);
        Assert.Empty(await store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EnsureTable_is_idempotent_and_two_concurrent_callers_end_with_one_table()
    {
        var table = DynamoDbEmulatorFixture.UniqueTableName("race");
        var first = new DynamoDbLeaseStore(_fixture.Client, _fixture.Options(table));
        using var otherClient = DynamoDbEmulatorFixture.CreateClient(_fixture.Options(table));
        var second = new DynamoDbLeaseStore(otherClient, _fixture.Options(table));

        await Task.WhenAll(first.EnsureTableAsync(CancellationToken.None), second.EnsureTableAsync(CancellationToken.None));
        var created = (await DescribeAsync(table)).CreationDateTime;
        Assert.True(await first.CreateIfAbsentAsync(DynamoDbEmulatorFixture.Sample("shardId-000000000000"), CancellationToken.None));
        await first.EnsureTableAsync(CancellationToken.None);

        var tables = await _fixture.Client.ListTablesAsync(new ListTablesRequest());
        Assert.Single(tables.TableNames, table);
        Assert.Equal(created, (await DescribeAsync(table)).CreationDateTime);
        Assert.Single(await second.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EnsureTable_polls_on_the_injected_clock_while_the_table_is_being_created()
    {
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UnixEpoch);
        var options = _fixture.Options(DynamoDbEmulatorFixture.UniqueTableName("clock"));
        options.TableActiveTimeout = TimeSpan.FromDays(1);
        var store = new DynamoDbLeaseStore(_fixture.Client, options, time);

        var ensure = store.EnsureTableAsync(CancellationToken.None);

        // dynalite keeps a new table CREATING for half a second of real time; each poll waits on the fake clock.
        var polls = 0;
        while (!ensure.IsCompleted)
        {
            var pending = time.NextTimerAsync(options.TableStatusPollInterval, TimeSpan.FromSeconds(10));
            var finished = await Task.WhenAny(ensure, pending);
            if (finished == pending)
            {
                Assert.Equal(options.TableStatusPollInterval, await pending);
                polls++;
                time.Advance(options.TableStatusPollInterval);
            }
        }

        await ensure;
        Assert.True(polls >= 1);
        Assert.Equal(polls * options.TableStatusPollInterval, time.GetUtcNow() - DateTimeOffset.UnixEpoch);
        Assert.Equal(TableStatus.ACTIVE, (await DescribeAsync(options.TableName)).TableStatus);
    }

    [Fact]
    public async Task A_table_of_that_name_with_another_key_is_refused_with_the_table_named()
    {
        var table = DynamoDbEmulatorFixture.UniqueTableName("kcl");
        await _fixture.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("leaseKey", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("leaseKey", KeyType.HASH)],
        });
        var store = new DynamoDbLeaseStore(_fixture.Client, _fixture.Options(table));

        var error = await Assert.ThrowsAsync<LeaseStoreConfigurationException>(() => store.EnsureTableAsync(CancellationToken.None));

        Assert.Equal("UnexpectedKeySchema", error.ErrorCode);
        Assert.Contains(table, error.Message, StringComparison.Ordinal);
        Assert.Contains("leaseKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_table_every_call_fails_as_a_configuration_error_naming_it()
    {
        var table = DynamoDbEmulatorFixture.UniqueTableName("missing");
        var store = new DynamoDbLeaseStore(_fixture.Client, _fixture.Options(table));
        var lease = DynamoDbEmulatorFixture.Sample("shardId-000000000000") with { Owner = "w1" };

        var errors = new[]
        {
            await Assert.ThrowsAsync<LeaseStoreConfigurationException>(() => store.ListAsync(CancellationToken.None)),
            await Assert.ThrowsAsync<LeaseStoreConfigurationException>(() => store.GetAsync(lease.ShardId, CancellationToken.None)),
            await Assert.ThrowsAsync<LeaseStoreConfigurationException>(() => store.CreateIfAbsentAsync(lease, CancellationToken.None)),
            await Assert.ThrowsAsync<LeaseStoreConfigurationException>(() => store.TakeAsync(lease, "w2", CancellationToken.None)),
            await Assert.ThrowsAsync<LeaseStoreConfigurationException>(() => store.RenewAsync(lease, CancellationToken.None)),
        };

        Assert.All(errors, e =>
        {
            Assert.Equal(table, e.TableName);
            Assert.Equal("ResourceNotFoundException", e.ErrorCode);
            Assert.Contains(table, e.Message, StringComparison.Ordinal);
            Assert.IsType<ResourceNotFoundException>(e.InnerException);
        });
        Assert.Equal(["Scan", "GetItem", "PutItem", "UpdateItem", "UpdateItem"], errors.Select(e => e.Operation));
    }
}
