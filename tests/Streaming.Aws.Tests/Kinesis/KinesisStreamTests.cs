using Streaming.Aws.Kinesis;
using Streaming.Aws.Tests.Emulators;
using Streaming.Aws.Tests.Support;

namespace Streaming.Aws.Tests.Kinesis;

[Collection(KinesisEmulatorCollection.Name)]
public sealed class KinesisStreamTests
{
    private static readonly TimeSpan ActiveTimeout = TimeSpan.FromSeconds(30);
    private readonly KinesisEmulatorFixture _fixture;

    public KinesisStreamTests(KinesisEmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task A_created_stream_becomes_active_with_all_its_shards_open()
    {
        var client = _fixture.Client;
        var stream = KinesisEmulatorFixture.UniqueStreamName("active");
        var before = DateTimeOffset.UtcNow;

        await client.CreateStreamAsync(stream, 4);
        var creating = await client.DescribeStreamSummaryAsync(stream);
        var active = await client.WaitForStreamActiveAsync(stream, ActiveTimeout);

        Assert.Equal(stream, creating.StreamName);
        Assert.Contains(creating.Status, new[] { StreamStatus.Creating, StreamStatus.Active });
        Assert.Equal(StreamStatus.Active, active.Status);
        Assert.Equal(4, active.OpenShardCount);
        Assert.Equal(TimeSpan.FromHours(24), active.RetentionPeriod);
        Assert.EndsWith($":stream/{stream}", active.StreamArn, StringComparison.Ordinal);
        Assert.NotNull(active.CreatedAt);
        Assert.InRange(active.CreatedAt.Value, before.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task ListShards_follows_NextToken_until_every_shard_is_listed()
    {
        var stream = KinesisEmulatorFixture.UniqueStreamName("pages");
        await _fixture.Client.CreateStreamAsync(stream, 4);
        await _fixture.Client.WaitForStreamActiveAsync(stream, ActiveTimeout);
        var recorder = new RecordingHandler();
        var client = _fixture.CreateClient(recorder);

        var shards = await client.ListShardsAsync(stream, pageSize: 1);

        Assert.Equal(4, recorder.Count("ListShards"));
        Assert.Equal(4, shards.Count);
        Assert.Equal(4, shards.Select(s => s.ShardId).Distinct().Count());
        Assert.All(shards, s =>
        {
            Assert.True(s.IsOpen);
            Assert.Null(s.ParentShardId);
            Assert.Null(s.AdjacentParentShardId);
            Assert.False(string.IsNullOrEmpty(s.SequenceNumberRange.StartingSequenceNumber));
        });

        // Together the shards own the whole 128-bit hash key space, without gaps or overlaps.
        var ranges = shards.Select(s => s.HashKeyRange).OrderBy(r => r.StartingHashKey).ToList();
        Assert.Equal(0, ranges[0].StartingHashKey);
        Assert.Equal(HashKeyRange.MaxHashKey, ranges[^1].EndingHashKey);
        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.Equal(ranges[i - 1].EndingHashKey + 1, ranges[i].StartingHashKey);
        }

        var unpaged = await client.ListShardsAsync(stream);
        Assert.Equal(shards.Select(s => s.ShardId).Order(), unpaged.Select(s => s.ShardId).Order());
        Assert.Equal(5, recorder.Count("ListShards"));
    }
}
