using System.Net;
using System.Text;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Kinesis.Internal;
using Streaming.Aws.Tests.Emulators;

namespace Streaming.Aws.Tests.Kinesis;

[Collection(KinesisEmulatorCollection.Name)]
public sealed class KinesisErrorTests
{
    private static readonly TimeSpan ActiveTimeout = TimeSpan.FromSeconds(30);
    private readonly KinesisEmulatorFixture _fixture;

    public KinesisErrorTests(KinesisEmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task A_stream_that_does_not_exist_is_NotFound_for_every_operation()
    {
        var client = _fixture.Client;
        var bogus = KinesisEmulatorFixture.UniqueStreamName("no-such-stream");

        var errors = new[]
        {
            await Assert.ThrowsAsync<KinesisException>(() => client.DescribeStreamSummaryAsync(bogus)),
            await Assert.ThrowsAsync<KinesisException>(() => client.ListShardsAsync(bogus)),
            await Assert.ThrowsAsync<KinesisException>(() => client.GetShardIteratorAsync(bogus, "shardId-000000000000", ShardIteratorPosition.TrimHorizon)),
            await Assert.ThrowsAsync<KinesisException>(() => client.PutRecordsAsync(bogus, [new PutRecordsEntry(new byte[] { 1 }, "k")])),
        };

        Assert.All(errors, e =>
        {
            Assert.Equal(KinesisErrorKind.NotFound, e.Kind);
            Assert.Equal("ResourceNotFoundException", e.ErrorCode);
            Assert.Equal(400, e.StatusCode);
            Assert.False(e.IsTransient);
            Assert.False(string.IsNullOrWhiteSpace(e.ErrorMessage));
        });
        Assert.Equal(["DescribeStreamSummary", "ListShards", "GetShardIterator", "PutRecords"], errors.Select(e => e.Operation));
    }

    [Fact]
    public async Task An_iterator_older_than_five_minutes_is_IteratorExpired_and_a_fresh_one_reads()
    {
        var client = _fixture.Client;
        var stream = KinesisEmulatorFixture.UniqueStreamName("expired");
        await client.CreateStreamAsync(stream, 1);
        await client.WaitForStreamActiveAsync(stream, ActiveTimeout);
        var shardId = Assert.Single(await client.ListShardsAsync(stream)).ShardId;
        await client.PutRecordsAsync(stream, [new PutRecordsEntry(Encoding.UTF8.GetBytes("still here"), "k")]);
        var fresh = await client.GetShardIteratorAsync(stream, shardId, ShardIteratorPosition.TrimHorizon);
        var stale = KinesisMockIterators.IssuedAt(fresh, DateTimeOffset.UtcNow.AddMinutes(-6));
        var recent = KinesisMockIterators.IssuedAt(fresh, DateTimeOffset.UtcNow.AddMinutes(-4));

        var error = await Assert.ThrowsAsync<KinesisException>(() => client.GetRecordsAsync(stale));
        var read = await client.GetRecordsAsync(fresh);
        var readRecent = await client.GetRecordsAsync(recent);

        Assert.Equal(KinesisErrorKind.IteratorExpired, error.Kind);
        Assert.Equal("ExpiredIteratorException", error.ErrorCode);
        Assert.Equal("GetRecords", error.Operation);
        Assert.False(error.IsTransient);
        Assert.Equal("still here", Encoding.UTF8.GetString(Assert.Single(read.Records).Data.Span));
        // Control: the same re-issued iterator four minutes old is still good, so only its age made it fail.
        Assert.Equal("still here", Encoding.UTF8.GetString(Assert.Single(readRecent.Records).Data.Span));
    }

    [Fact]
    public async Task Creating_a_stream_that_exists_is_ResourceInUse()
    {
        var client = _fixture.Client;
        var stream = KinesisEmulatorFixture.UniqueStreamName("twice");
        await client.CreateStreamAsync(stream, 1);

        var error = await Assert.ThrowsAsync<KinesisException>(() => client.CreateStreamAsync(stream, 1));

        Assert.Equal(KinesisErrorKind.ResourceInUse, error.Kind);
        Assert.Equal("ResourceInUseException", error.ErrorCode);
    }

    [Fact]
    public async Task A_malformed_sequence_number_is_InvalidArgument()
    {
        var client = _fixture.Client;
        var stream = KinesisEmulatorFixture.UniqueStreamName("badseq");
        await client.CreateStreamAsync(stream, 1);
        await client.WaitForStreamActiveAsync(stream, ActiveTimeout);
        var shardId = Assert.Single(await client.ListShardsAsync(stream)).ShardId;

        var error = await Assert.ThrowsAsync<KinesisException>(
            () => client.GetShardIteratorAsync(stream, shardId, ShardIteratorPosition.AtSequenceNumber("not-a-sequence-number")));

        Assert.Equal(KinesisErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("InvalidArgumentException", error.ErrorCode);
    }

    [Fact]
    public async Task The_emulator_rejects_unsigned_requests_and_that_answer_maps_to_AccessDenied()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, _fixture.Endpoint)
        {
            Content = new StringContent("{}", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "Kinesis_20131202.ListStreams");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var error = KinesisErrorClassifier.FromResponse("ListStreams", response.StatusCode, body, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", error.ErrorCode);
        Assert.Equal(KinesisErrorKind.AccessDenied, error.Kind);
    }
}
