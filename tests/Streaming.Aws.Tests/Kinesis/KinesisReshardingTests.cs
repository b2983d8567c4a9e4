using System.Numerics;
using System.Text;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Tests.Emulators;

namespace Streaming.Aws.Tests.Kinesis;

[Collection(KinesisEmulatorCollection.Name)]
public sealed class KinesisReshardingTests
{
    private static readonly TimeSpan ActiveTimeout = TimeSpan.FromSeconds(30);
    private readonly KinesisEmulatorFixture _fixture;

    public KinesisReshardingTests(KinesisEmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Splitting_a_shard_closes_it_and_reading_it_to_the_end_names_its_children()
    {
        var client = _fixture.Client;
        var stream = KinesisEmulatorFixture.UniqueStreamName("split");
        await client.CreateStreamAsync(stream, 1);
        await client.WaitForStreamActiveAsync(stream, ActiveTimeout);
        var parent = Assert.Single(await client.ListShardsAsync(stream));
        await client.PutRecordsAsync(stream, Enumerable.Range(0, 20).Select(i => Entry($"before-split-{i}", $"key-{i}")).ToList());
        var middle = BigInteger.One << 127;

        await client.SplitShardAsync(stream, parent.ShardId, middle);
        await client.WaitForStreamActiveAsync(stream, ActiveTimeout);

        var shards = await client.ListShardsAsync(stream);
        Assert.Equal(3, shards.Count);
        var closed = Assert.Single(shards, s => s.ShardId == parent.ShardId);
        Assert.False(closed.IsOpen);
        var children = shards.Where(s => s.ParentShardId == parent.ShardId).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();
        Assert.Equal(2, children.Count);
        Assert.All(children, c => Assert.True(c.IsOpen));
        Assert.Equal(new HashKeyRange(0, middle - 1), children[0].HashKeyRange);
        Assert.Equal(new HashKeyRange(middle, HashKeyRange.MaxHashKey), children[1].HashKeyRange);

        var open = await client.ListShardsAsync(stream, ShardFilter.AtLatest);
        var everything = await client.ListShardsAsync(stream, ShardFilter.FromTrimHorizon, pageSize: 1);
        Assert.Equal(children.Select(c => c.ShardId).Order(), open.Select(s => s.ShardId).Order());
        Assert.Equal(shards.Select(s => s.ShardId).Order(), everything.Select(s => s.ShardId).Order());

        var iterator = await client.GetShardIteratorAsync(stream, parent.ShardId, ShardIteratorPosition.TrimHorizon);
        var (records, last) = await ReadToShardEndAsync(client, iterator);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"before-split-{i}"), records.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.True(last.IsShardEnd);
        Assert.Null(last.NextShardIterator);
        Assert.Equal(children.Select(c => c.ShardId).Order(), last.ChildShards.Select(c => c.ShardId).Order());
        Assert.All(last.ChildShards, c => Assert.Equal([parent.ShardId], c.ParentShards));
        Assert.Equal(
            children.Select(c => c.HashKeyRange).OrderBy(r => r.StartingHashKey),
            last.ChildShards.Select(c => c.HashKeyRange).OrderBy(r => r.StartingHashKey));
    }

    [Fact]
    public async Task Merging_two_adjacent_shards_makes_one_child_with_both_parents()
    {
        var client = _fixture.Client;
        var stream = KinesisEmulatorFixture.UniqueStreamName("merge");
        await client.CreateStreamAsync(stream, 2);
        await client.WaitForStreamActiveAsync(stream, ActiveTimeout);
        var parents = (await client.ListShardsAsync(stream)).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();

        await client.MergeShardsAsync(stream, parents[0].ShardId, parents[1].ShardId);
        await client.WaitForStreamActiveAsync(stream, ActiveTimeout);

        var shards = await client.ListShardsAsync(stream);
        var child = Assert.Single(shards, s => s.IsOpen);
        Assert.Equal(parents[0].ShardId, child.ParentShardId);
        Assert.Equal(parents[1].ShardId, child.AdjacentParentShardId);
        Assert.Equal(new HashKeyRange(0, HashKeyRange.MaxHashKey), child.HashKeyRange);
        Assert.All(shards.Where(s => s.ShardId != child.ShardId), s => Assert.False(s.IsOpen));
        Assert.Equal(1, (await client.DescribeStreamSummaryAsync(stream)).OpenShardCount);
    }

    /// <summary>Reads a closed shard until GetRecords stops handing out a next iterator (bounded).</summary>
    private static async Task<(List<KinesisRecord> Records, GetRecordsResult Last)> ReadToShardEndAsync(IKinesisClient client, string iterator)
    {
        var records = new List<KinesisRecord>();
        var next = iterator;
        for (var call = 0; call < 100; call++)
        {
            var page = await client.GetRecordsAsync(next);
            records.AddRange(page.Records);
            if (page.IsShardEnd)
            {
                return (records, page);
            }

            next = page.NextShardIterator!;
        }

        throw new InvalidOperationException($"The closed shard did not end after 100 GetRecords calls ({records.Count} records)");
    }

    private static PutRecordsEntry Entry(string text, string partitionKey) => new(Encoding.UTF8.GetBytes(text), partitionKey);
}
