using Amazon.DynamoDBv2.Model;
using Streaming.Aws.Leases;
using Streaming.Core.Leases;

namespace Streaming.Aws.Tests.Leases;

[Collection(DynamoDbEmulatorCollection.Name)]
public sealed class LeaseRoundTripTests
{
    private readonly DynamoDbEmulatorFixture _fixture;

    public LeaseRoundTripTests(DynamoDbEmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    private static void AssertSame(Lease expected, Lease? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.ShardId, actual.ShardId);
        Assert.Equal(expected.Owner, actual.Owner);
        Assert.Equal(expected.Counter, actual.Counter);
        Assert.Equal(expected.Checkpoint, actual.Checkpoint);
        Assert.Equal(expected.ParentShardIds, actual.ParentShardIds);
        Assert.Equal(expected.Flushed.OrderBy(e => e.Key, StringComparer.Ordinal), actual.Flushed.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    private async Task<Dictionary<string, AttributeValue>> RawItemAsync(DynamoDbLeaseStore store, string shardId) =>
        (await _fixture.Client.GetItemAsync(new GetItemRequest
        {
            TableName = store.TableName,
            Key = new() { ["shard_id"] = new AttributeValue { S = shardId } },
            ConsistentRead = true,
        })).Item;

    [Fact]
    public async Task Every_field_survives_create_get_and_list()
    {
        using var store = await _fixture.NewStoreAsync("roundtrip");
        string[] checkpoints =
        [
            "TRIM_HORIZON",
            "LATEST",
            "AT_TIMESTAMP",
            "SHARD_END",
            "49590338271490256608559692538361571095921575989136588898",
            "49590338271490256608559692538361571095921575989136588898/17",
        ];
        var leases = checkpoints.Select((checkpoint, i) => new Lease(
            $"shardId-{i:D12}",
            i % 2 == 0 ? null : $"worker-{i}",
            i * 10,
            ShardPosition.Parse(checkpoint),
            i switch
            {
                0 => [],
                1 => ["shardId-000000000100"],
                _ => ["shardId-000000000103", "shardId-000000000101"],
            },
            i == 0
                ? new Dictionary<string, string>(StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["user_registration/2021-09-16T05"] = "49590338271490256608559692538361571095921575989136588898/3",
                    ["exercise_started/2021-09-16T05"] = "49590338271490256608559692538361571095921575989136588890",
                    ["payment_made/2021-09-16T06"] = $"4959033827149025660855969253836157109592157598913658889{i}",
                })).ToArray();

        foreach (var lease in leases)
        {
            Assert.True(await store.CreateIfAbsentAsync(lease, CancellationToken.None));
        }

        foreach (var lease in leases)
        {
            var read = await store.GetAsync(lease.ShardId, CancellationToken.None);
            AssertSame(lease, read);
            Assert.Equal(checkpoints[Array.IndexOf(leases, lease)], read!.Checkpoint.ToString());
        }

        var listed = (await store.ListAsync(CancellationToken.None)).OrderBy(l => l.ShardId, StringComparer.Ordinal).ToArray();
        Assert.Equal(leases.Length, listed.Length);
        for (var i = 0; i < leases.Length; i++)
        {
            AssertSame(leases[i], listed[i]);
        }

        Assert.Null(listed[0].Owner);
        Assert.Equal(ShardPosition.At("49590338271490256608559692538361571095921575989136588898", 17), listed[5].Checkpoint);
        Assert.True(listed[3].IsFinished);
    }

    [Fact]
    public async Task The_item_follows_the_documented_schema()
    {
        var store = _fixture.Store;
        var free = DynamoDbEmulatorFixture.Sample(DynamoDbEmulatorFixture.UniqueShardId());
        var owned = new Lease(DynamoDbEmulatorFixture.UniqueShardId(), "worker-a", 41, ShardPosition.At("123", 2), ["shardId-000000000000"], new Dictionary<string, string> { ["t/h"] = "120" });

        await store.CreateIfAbsentAsync(free, CancellationToken.None);
        await store.CreateIfAbsentAsync(owned, CancellationToken.None);

        var freeItem = await RawItemAsync(store, free.ShardId);
        Assert.Equal(["checkpoint", "counter", "flushed", "shard_id", "updated_at"], freeItem.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("0", freeItem["counter"].N);
        Assert.Equal("TRIM_HORIZON", freeItem["checkpoint"].S);
        Assert.Empty(freeItem["flushed"].M);
        Assert.True(DateTimeOffset.TryParse(freeItem["updated_at"].S, System.Globalization.CultureInfo.InvariantCulture, out _));

        var ownedItem = await RawItemAsync(store, owned.ShardId);
        Assert.Equal("worker-a", ownedItem["owner"].S);
        Assert.Equal("41", ownedItem["counter"].N);
        Assert.Equal("123/2", ownedItem["checkpoint"].S);
        Assert.Equal(["shardId-000000000000"], ownedItem["parents"].L.Select(v => v.S));
        Assert.Equal("120", ownedItem["flushed"].M["t/h"].S);
    }

    [Fact]
    public async Task Create_does_not_overwrite_an_existing_lease()
    {
        var store = _fixture.Store;
        var original = DynamoDbEmulatorFixture.Sample(DynamoDbEmulatorFixture.UniqueShardId()) with { Owner = "worker-a", Counter = 5 };

        Assert.True(await store.CreateIfAbsentAsync(original, CancellationToken.None));
        Assert.False(await store.CreateIfAbsentAsync(DynamoDbEmulatorFixture.Sample(original.ShardId), CancellationToken.None));

        AssertSame(original, await store.GetAsync(original.ShardId, CancellationToken.None));
    }

    [Fact]
    public async Task Get_of_an_unknown_shard_is_null()
    {
        Assert.Null(await _fixture.Store.GetAsync(DynamoDbEmulatorFixture.UniqueShardId(), CancellationToken.None));
    }

    [Fact]
    public async Task List_follows_scan_pages_to_the_end()
    {
        var options = _fixture.Options(DynamoDbEmulatorFixture.UniqueTableName("pages"));
        options.ScanPageSize = 2;
        using var store = new DynamoDbLeaseStore(_fixture.Client, options);
        await store.EnsureTableAsync(CancellationToken.None);
        var shardIds = Enumerable.Range(0, 7).Select(i => $"shardId-{i:D12}").ToArray();
        foreach (var shardId in shardIds)
        {
            await store.CreateIfAbsentAsync(DynamoDbEmulatorFixture.Sample(shardId), CancellationToken.None);
        }

        var listed = await store.ListAsync(CancellationToken.None);

        Assert.Equal(shardIds, listed.Select(l => l.ShardId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_item_that_breaks_the_schema_is_a_configuration_error_naming_table_and_shard()
    {
        var store = _fixture.Store;
        var shardId = DynamoDbEmulatorFixture.UniqueShardId();
        await _fixture.Client.PutItemAsync(new PutItemRequest
        {
            TableName = store.TableName,
            Item = new()
            {
                ["shard_id"] = new AttributeValue { S = shardId },
                ["counter"] = new AttributeValue { S = "seven" },
                ["checkpoint"] = new AttributeValue { S = "LATEST" },
            },
        });

        var error = await Assert.ThrowsAsync<LeaseStoreConfigurationException>(() => store.GetAsync(shardId, CancellationToken.None));

        Assert.Equal("MalformedLeaseItem", error.ErrorCode);
        Assert.Contains(store.TableName, error.Message, StringComparison.Ordinal);
        Assert.Contains(shardId, error.Message, StringComparison.Ordinal);
        Assert.Contains("counter", error.Message, StringComparison.Ordinal);
    }
}
