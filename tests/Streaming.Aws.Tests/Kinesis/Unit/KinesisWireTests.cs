using System.Net;
using System.Numerics;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Tests.Support;

namespace Streaming.Aws.Tests.Kinesis.Unit;

public sealed class KinesisWireTests
{
    [Fact]
    public async Task GetRecords_reads_base64_data_fractional_epoch_timestamps_and_child_shards()
    {
        var (client, _) = Create("""
            {"Records":[
               {"Data":"AAH/","SequenceNumber":"49590338271490256608559692538361571095921575989136588898","PartitionKey":"pk","ApproximateArrivalTimestamp":1714566896.123},
               {"Data":"","SequenceNumber":"49590338271490256608559692538361571095921575989136588899","PartitionKey":"pk2","ApproximateArrivalTimestamp":1714566897}],
             "MillisBehindLatest":0,
             "ChildShards":[{"ShardId":"shardId-000000000001","ParentShards":["shardId-000000000000"],
                             "HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"170141183460469231731687303715884105727"}}]}
            """);

        var result = await client.GetRecordsAsync("iterator");

        Assert.Null(result.NextShardIterator);
        Assert.True(result.IsShardEnd);
        Assert.Equal(0, result.MillisBehindLatest);
        Assert.Equal(new byte[] { 0, 1, 255 }, result.Records[0].Data.ToArray());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_714_566_896_123), result.Records[0].ApproximateArrivalTimestamp);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_714_566_897), result.Records[1].ApproximateArrivalTimestamp);
        Assert.Empty(result.Records[1].Data.ToArray());
        var child = Assert.Single(result.ChildShards);
        Assert.Equal("shardId-000000000001", child.ShardId);
        Assert.Equal(["shardId-000000000000"], child.ParentShards);
        Assert.Equal(new HashKeyRange(0, (BigInteger.One << 127) - 1), child.HashKeyRange);
    }

    [Fact]
    public async Task GetRecords_reads_escaped_base64_string_timestamps_and_skips_fields_it_does_not_know()
    {
        const string answer = """
            {"Unknown":{"nested":[1,2,{"x":"y"}]},
             "Records":[
               {"SequenceNumber":"1","Extra":[1,{"a":null}],"Data":"ab\/+","PartitionKey":"k\u00e9","ApproximateArrivalTimestamp":"1714566896.5","EncryptionType":"NONE"},
               {"Data":null,"SequenceNumber":"2"}],
             "NextShardIterator":"next","MillisBehindLatest":12}
            """;
        var (client, _) = Create(answer);

        var result = await client.GetRecordsAsync("iterator");

        Assert.Equal("next", result.NextShardIterator);
        Assert.Equal(12, result.MillisBehindLatest);
        Assert.Equal(Convert.FromBase64String("ab/+"), result.Records[0].Data.ToArray());
        Assert.Equal("ké", result.Records[0].PartitionKey);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_714_566_896_500), result.Records[0].ApproximateArrivalTimestamp);
        Assert.Empty(result.Records[1].Data.ToArray());
        Assert.Null(result.Records[1].ApproximateArrivalTimestamp);
    }

    [Fact]
    public async Task GetRecords_without_a_sequence_number_is_a_malformed_answer()
    {
        var (client, _) = Create("""{"Records":[{"Data":"AA=="}]}""");
        var error = await Assert.ThrowsAsync<KinesisException>(() => client.GetRecordsAsync("iterator"));
        Assert.Equal("MalformedResponse", error.ErrorCode);
    }

    [Fact]
    public async Task AT_TIMESTAMP_sends_epoch_seconds_with_milliseconds()
    {
        var (client, handler) = Create("""{"ShardIterator":"abc"}""");
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(1_714_566_896_123);

        var iterator = await client.GetShardIteratorAsync("events", "shardId-000000000000", ShardIteratorPosition.AtTimestamp(timestamp));

        Assert.Equal("abc", iterator);
        using var body = JsonDocument.Parse(handler.Requests[0].Body);
        Assert.Equal("AT_TIMESTAMP", body.RootElement.GetProperty("ShardIteratorType").GetString());
        Assert.Equal(1_714_566_896.123m, body.RootElement.GetProperty("Timestamp").GetDecimal());
        Assert.False(body.RootElement.TryGetProperty("StartingSequenceNumber", out _));
    }

    [Theory]
    [InlineData(ShardIteratorType.TrimHorizon, "TRIM_HORIZON")]
    [InlineData(ShardIteratorType.Latest, "LATEST")]
    [InlineData(ShardIteratorType.AtSequenceNumber, "AT_SEQUENCE_NUMBER")]
    [InlineData(ShardIteratorType.AfterSequenceNumber, "AFTER_SEQUENCE_NUMBER")]
    public async Task Iterator_types_use_their_wire_names(ShardIteratorType type, string wireName)
    {
        var (client, handler) = Create("""{"ShardIterator":"abc"}""");
        var position = type switch
        {
            ShardIteratorType.TrimHorizon => ShardIteratorPosition.TrimHorizon,
            ShardIteratorType.Latest => ShardIteratorPosition.Latest,
            ShardIteratorType.AtSequenceNumber => ShardIteratorPosition.AtSequenceNumber("123"),
            _ => ShardIteratorPosition.AfterSequenceNumber("123"),
        };

        await client.GetShardIteratorAsync("events", "shardId-000000000000", position);

        using var body = JsonDocument.Parse(handler.Requests[0].Body);
        Assert.Equal(wireName, body.RootElement.GetProperty("ShardIteratorType").GetString());
        Assert.Equal(position.SequenceNumber, body.RootElement.TryGetProperty("StartingSequenceNumber", out var s) ? s.GetString() : null);
    }

    [Fact]
    public async Task PutRecords_sends_base64_data_and_reads_per_entry_outcomes()
    {
        var (client, handler) = Create("""
            {"FailedRecordCount":1,"Records":[
              {"SequenceNumber":"1","ShardId":"shardId-000000000000"},
              {"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"Rate exceeded for shard"}]}
            """);

        var result = await client.PutRecordsAsync("events", [new PutRecordsEntry(new byte[] { 0, 255 }, "a"), new PutRecordsEntry(new byte[] { 7 }, "b", "42")]);

        using var body = JsonDocument.Parse(handler.Requests[0].Body);
        var records = body.RootElement.GetProperty("Records");
        Assert.Equal("AP8=", records[0].GetProperty("Data").GetString());
        Assert.Equal("a", records[0].GetProperty("PartitionKey").GetString());
        Assert.Equal("42", records[1].GetProperty("ExplicitHashKey").GetString());
        Assert.Equal(1, result.FailedRecordCount);
        Assert.True(result.Entries[0].Succeeded);
        Assert.Equal("shardId-000000000000", result.Entries[0].ShardId);
        Assert.False(result.Entries[1].Succeeded);
        Assert.Equal("ProvisionedThroughputExceededException", result.Entries[1].ErrorCode);
    }

    [Fact]
    public async Task ListShards_sends_the_stream_and_filter_first_then_only_the_NextToken()
    {
        var (client, handler) = Create(call => call == 1
            ? """{"Shards":[{"ShardId":"shardId-000000000000","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"1"},"SequenceNumberRange":{"StartingSequenceNumber":"1"}}],"NextToken":"t1"}"""
            : """{"Shards":[{"ShardId":"shardId-000000000001","ParentShardId":"shardId-000000000000","HashKeyRange":{"StartingHashKey":"2","EndingHashKey":"3"},"SequenceNumberRange":{"StartingSequenceNumber":"2","EndingSequenceNumber":"9"}}]}""");

        var shards = await client.ListShardsAsync("events", ShardFilter.AtLatest, pageSize: 1);

        Assert.Equal(["shardId-000000000000", "shardId-000000000001"], shards.Select(s => s.ShardId));
        Assert.False(shards[1].IsOpen);
        Assert.Equal("shardId-000000000000", shards[1].ParentShardId);
        using var first = JsonDocument.Parse(handler.Requests[0].Body);
        using var second = JsonDocument.Parse(handler.Requests[1].Body);
        Assert.Equal("events", first.RootElement.GetProperty("StreamName").GetString());
        Assert.Equal("AT_LATEST", first.RootElement.GetProperty("ShardFilter").GetProperty("Type").GetString());
        Assert.Equal(1, first.RootElement.GetProperty("MaxResults").GetInt32());
        Assert.Equal("t1", second.RootElement.GetProperty("NextToken").GetString());
        Assert.False(second.RootElement.TryGetProperty("StreamName", out _));
        Assert.False(second.RootElement.TryGetProperty("ShardFilter", out _));
    }

    [Fact]
    public async Task A_success_answer_that_is_not_the_expected_shape_is_Fatal()
    {
        var (client, _) = Create("""{"Unexpected":true}""");

        var error = await Assert.ThrowsAsync<KinesisException>(() => client.GetShardIteratorAsync("events", "s", ShardIteratorPosition.Latest));

        Assert.Equal(KinesisErrorKind.Fatal, error.Kind);
        Assert.Equal("MalformedResponse", error.ErrorCode);
    }

    private static (KinesisClient Client, StubHttpHandler Handler) Create(string answer) => Create(_ => answer);

    private static (KinesisClient Client, StubHttpHandler Handler) Create(Func<int, string> answer)
    {
        var handler = new StubHttpHandler((call, _) => StubHttpHandler.Json(HttpStatusCode.OK, answer(call)));
        var client = new KinesisClient(
            new KinesisClientOptions { Region = "eu-west-1", ServiceUrl = "http://127.0.0.1:4568", AccessKeyId = "AKID", SecretAccessKey = "secret" },
            new HttpClient(handler),
            new FakeTimeProvider());
        return (client, handler);
    }
}
