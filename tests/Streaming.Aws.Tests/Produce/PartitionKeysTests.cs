using System.Security.Cryptography;
using System.Text;
using Streaming.Cli.Produce;

namespace Streaming.Aws.Tests.Produce;

public sealed class PartitionKeysTests
{
    [Theory]
    [InlineData("""{"id":"a1","user_id":17,"type":"x"}""", "17")]
    [InlineData("""{"user_id":"u-ユーザー","id":"a1"}""", "u-ユーザー")]
    [InlineData("""{"id":"a1","type":"x"}""", "a1")]
    [InlineData("""{"id":42}""", "42")]
    [InlineData("""{"id":"a1","user_id":null}""", "a1")]
    [InlineData("""{"id":"a1","user_id":""}""", "a1")]
    [InlineData("""{"params":{"user_id":5},"id":"top"}""", "top")]
    [InlineData("""{"id":"broken","params":{"path":""", "broken")]
    public void The_key_is_the_user_then_the_id(string json, string expected)
    {
        Assert.Equal(expected, PartitionKeys.For(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("""["not","an","object"]""")]
    [InlineData("not json")]
    [InlineData("""{"type":"x","user_id":true}""")]
    public void Events_without_a_usable_key_are_keyed_by_their_hash(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var key = PartitionKeys.For(bytes);

        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bytes)), key);
        Assert.Equal(key, PartitionKeys.For(bytes));
    }

    [Fact]
    public void A_value_longer_than_a_partition_key_may_be_is_not_used()
    {
        var json = $$"""{"user_id":"{{new string('u', 257)}}","id":"short"}""";

        Assert.Equal("short", PartitionKeys.For(Encoding.UTF8.GetBytes(json)));
    }
}
