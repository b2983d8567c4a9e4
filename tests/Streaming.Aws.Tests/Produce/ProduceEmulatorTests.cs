using System.Text;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Tests.Emulators;
using Streaming.Aws.Tests.Kinesis;
using Streaming.Cli.Produce;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Aws.Tests.Produce;

/// <summary>The producer against kinesis-local: every event put is read back exactly once, from the shard its key belongs to.</summary>
[Collection(KinesisEmulatorCollection.Name)]
public sealed class ProduceEmulatorTests
{
    private static readonly TimeSpan ActiveTimeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly KinesisEmulatorFixture _fixture;

    public ProduceEmulatorTests(KinesisEmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Plain_events_come_back_exactly_once_each_keyed_by_user_on_the_shard_Kinesis_hashes_the_key_to()
    {
        var stream = await CreateStreamAsync("produce-plain");
        var events = EventSources.Generate(1500, 11, Now).ToList();

        var summary = await new KinesisProducer(_fixture.Client, new ProducerOptions { StreamName = stream }).RunAsync(events);

        var (shards, read) = await ReadAllAsync(stream);
        Assert.Equal(2, shards.Shards.Count);
        Assert.Equal(Texts(events), read.Select(r => Text(r.Record.Data)).Order(StringComparer.Ordinal));
        Assert.All(read, r =>
        {
            Assert.False(KplAggregate.TryDeaggregate(r.Record.Data, []));
            Assert.Equal(PartitionKeys.For(r.Record.Data.Span), r.Record.PartitionKey);
            Assert.Equal(shards.ShardFor(ShardMap.HashKey(r.Record.PartitionKey)).ShardId, r.ShardId);
        });
        Assert.Equal(2, read.Select(r => r.ShardId).Distinct().Count());
        Assert.Equal((1500, 1500, 1500, 0L), (summary.Events, summary.EventsDelivered, summary.RecordsSent, summary.AggregatedRecords));
        Assert.InRange(summary.PutRecordsCalls, 3, 3 * 8);
    }

    [Fact]
    public async Task Aggregated_events_come_back_exactly_once_each_after_deaggregation_on_the_shard_of_their_own_key()
    {
        var stream = await CreateStreamAsync("produce-kpl");
        var events = EventSources.Generate(3000, 12, Now).ToList();
        var options = new ProducerOptions { StreamName = stream, Aggregate = true, MaxAggregateBytes = 32 * 1024 };

        var summary = await new KinesisProducer(_fixture.Client, options).RunAsync(events);

        var (shards, read) = await ReadAllAsync(stream);
        var userRecords = new List<string>();
        var aggregated = 0;
        foreach (var (shardId, record) in read)
        {
            var users = new List<KplUserRecord>();
            if (!KplAggregate.TryDeaggregate(record.Data, users))
            {
                users.Add(new KplUserRecord(record.Data, record.PartitionKey, null, 0, []));
            }
            else
            {
                aggregated++;
                Assert.InRange(record.Data.Length + Encoding.UTF8.GetByteCount(record.PartitionKey), 1, 32 * 1024);
            }

            Assert.Equal(users.Select((_, i) => (long)i), users.Select(u => u.SubSequenceNumber));
            Assert.Equal(users[0].PartitionKey, record.PartitionKey);
            Assert.All(users, u =>
            {
                Assert.Equal(PartitionKeys.For(u.Data.Span), u.PartitionKey);
                Assert.Equal(shardId, shards.ShardFor(ShardMap.HashKey(u.PartitionKey)).ShardId);
            });
            userRecords.AddRange(users.Select(u => Text(u.Data)));
        }

        Assert.Equal(Texts(events), userRecords.Order(StringComparer.Ordinal));
        Assert.InRange(aggregated, 10, 200);
        Assert.Equal(aggregated, summary.AggregatedRecords);
        Assert.Equal(read.Count, summary.RecordsSent);
        Assert.Equal((3000, 3000), (summary.Events, summary.EventsDelivered));
        Assert.Equal(2, read.Select(r => r.ShardId).Distinct().Count());
    }

    [Fact]
    public async Task A_stream_that_does_not_exist_fails_the_run_naming_what_was_not_delivered()
    {
        var producer = new KinesisProducer(_fixture.Client, new ProducerOptions { StreamName = KinesisEmulatorFixture.UniqueStreamName("missing") });

        var error = await Assert.ThrowsAsync<ProduceFailedException>(() => producer.RunAsync(EventSources.Generate(3, 1, Now).ToList()));

        Assert.StartsWith("3 records (3 events) not delivered", error.Message, StringComparison.Ordinal);
        Assert.Contains("ResourceNotFound", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, error.Summary.EventsDelivered);
    }

    private static string Text(ReadOnlyMemory<byte> data) => Encoding.UTF8.GetString(data.Span);

    private static IEnumerable<string> Texts(IEnumerable<ReadOnlyMemory<byte>> events) => events.Select(Text).Order(StringComparer.Ordinal);

    private async Task<string> CreateStreamAsync(string prefix)
    {
        var stream = KinesisEmulatorFixture.UniqueStreamName(prefix);
        await _fixture.Client.CreateStreamAsync(stream, 2);
        await _fixture.Client.WaitForStreamActiveAsync(stream, ActiveTimeout);
        return stream;
    }

    private async Task<(ShardMap Shards, List<(string ShardId, KinesisRecord Record)> Records)> ReadAllAsync(string stream)
    {
        var client = _fixture.Client;
        var shards = new ShardMap(await client.ListShardsAsync(stream));
        var read = new List<(string, KinesisRecord)>();
        foreach (var shard in shards.Shards)
        {
            var iterator = await client.GetShardIteratorAsync(stream, shard.ShardId, ShardIteratorPosition.TrimHorizon);
            var (records, _) = await ShardReading.ReadUntilCaughtUpAsync(client, iterator);
            read.AddRange(records.Select(r => (shard.ShardId, r)));
        }

        return (shards, read);
    }
}
