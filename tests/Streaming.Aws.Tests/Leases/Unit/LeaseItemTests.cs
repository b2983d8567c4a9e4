using Amazon.DynamoDBv2.Model;
using Streaming.Aws.Leases;
using Streaming.Aws.Leases.Internal;
using Streaming.Core.Leases;

namespace Streaming.Aws.Tests.Leases.Unit;

public sealed class LeaseItemTests
{
    private static readonly DateTimeOffset Now = new(2021, 9, 16, 5, 57, 27, TimeSpan.FromHours(9));

    private static Dictionary<string, AttributeValue> Minimal() => new()
    {
        ["shard_id"] = new AttributeValue { S = "shardId-000000000000" },
        ["counter"] = new AttributeValue { N = "12" },
        ["checkpoint"] = new AttributeValue { S = "LATEST" },
    };

    [Fact]
    public void A_free_lease_without_parents_has_no_owner_and_no_parents_attribute()
    {
        var item = LeaseItem.ToItem(Lease.New("shardId-000000000000", ShardPosition.TrimHorizon, []), Now);

        Assert.False(item.ContainsKey("owner"));
        Assert.False(item.ContainsKey("parents"));
        Assert.Empty(item["flushed"].M);
        Assert.Equal("2021-09-15T20:57:27.0000000Z", item["updated_at"].S);
    }

    [Fact]
    public void Only_key_counter_and_checkpoint_are_required()
    {
        var lease = LeaseItem.FromItem(Minimal(), "leases", "GetItem");

        Assert.Equal(("shardId-000000000000", (string?)null, 12L, ShardPosition.Latest), (lease.ShardId, lease.Owner, lease.Counter, lease.Checkpoint));
        Assert.Empty(lease.ParentShardIds);
        Assert.Empty(lease.Flushed);
    }

    [Fact]
    public void Parents_written_by_hand_as_a_string_set_are_read_too()
    {
        var item = Minimal();
        item["parents"] = new AttributeValue { SS = ["shardId-000000000001", "shardId-000000000002"] };

        Assert.Equal(["shardId-000000000001", "shardId-000000000002"], LeaseItem.FromItem(item, "leases", "Scan").ParentShardIds);
    }

    [Theory]
    [InlineData("counter", "N", "1.5")]
    [InlineData("checkpoint", "S", "123/x")]
    [InlineData("checkpoint", "N", "123")]
    [InlineData("flushed", "S", "t/h=1")]
    [InlineData("parents", "N", "1")]
    public void A_value_of_the_wrong_shape_names_table_shard_and_attribute(string attribute, string type, string value)
    {
        var item = Minimal();
        item[attribute] = type == "N" ? new AttributeValue { N = value } : new AttributeValue { S = value };

        var error = Assert.Throws<LeaseStoreConfigurationException>(() => LeaseItem.FromItem(item, "leases", "Scan"));

        Assert.Equal(("leases", "Scan", "MalformedLeaseItem"), (error.TableName, error.Operation, error.ErrorCode));
        Assert.Contains("shardId-000000000000", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{attribute}'", error.Message, StringComparison.Ordinal);
    }
}
