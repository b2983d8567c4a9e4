using System.Globalization;
using System.Numerics;
using System.Text;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Tests.Emulators;

namespace Streaming.Aws.Tests.Kinesis;

[Collection(KinesisEmulatorCollection.Name)]
public sealed class KinesisReadWriteTests
{
    private static readonly TimeSpan ActiveTimeout = TimeSpan.FromSeconds(30);
    private readonly KinesisEmulatorFixture _fixture;

    public KinesisReadWriteTests(KinesisEmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Five_hundred_records_come_back_exactly_once_each_from_trim_horizon_across_all_shards()
    {
        var client = _fixture.Client;
        var stream = KinesisEmulatorFixture.UniqueStreamName("multiset");
        await client.CreateStreamAsync(stream, 4);
        await client.WaitForStreamActiveAsync(stream, ActiveTimeout);
        var entries = Enumerable.Range(0, 500).Select(MakeEntry).ToList();
        var before = DateTimeOffset.UtcNow;

        var put = await client.PutRecordsAsync(stream, entries);

        var after = DateTimeOffset.UtcNow;
        var shards = await client.ListShardsAsync(stream);
        Assert.Equal(0, put.FailedRecordCount);
        Assert.Equal(500, put.Entries.Count);
        Assert.All(put.Entries, e =>
        {
            Assert.True(e.Succeeded, e.ErrorMessage);
            Assert.Contains(e.ShardId, shards.Select(s => s.ShardId));
        });
        Assert.True(put.Entries.Select(e => e.ShardId).Distinct().Count() > 1, "37 partition keys should hash to more than one of 4 shards");

        var read = new List<(string ShardId, KinesisRecord Record)>();
        foreach (var shard in shards)
        {
            var iterator = await client.GetShardIteratorAsync(stream, shard.ShardId, ShardIteratorPosition.TrimHorizon);
            var (records, _) = await ShardReading.ReadUntilCaughtUpAsync(client, iterator, limit: 64);
            read.AddRange(records.Select(r => (shard.ShardId, r)));

            var sequence = records.Select(r => BigInteger.Parse(r.SequenceNumber, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(sequence.Order(), sequence);
        }

        // The exact multiset of payloads: nothing lost, nothing duplicated, bytes intact.
        Assert.Equal(
            entries.Select(e => Convert.ToBase64String(e.Data.Span)).Order(StringComparer.Ordinal),
            read.Select(r => Convert.ToBase64String(r.Record.Data.Span)).Order(StringComparer.Ordinal));

        // Each record sits on the shard PutRecords named, under the sequence number it gave, with its partition key.
        var bySequence = read.ToDictionary(r => r.Record.SequenceNumber);
        for (var i = 0; i < entries.Count; i++)
        {
            var (shardId, record) = bySequence[put.Entries[i].SequenceNumber!];
            Assert.Equal(put.Entries[i].ShardId, shardId);
            Assert.Equal(entries[i].PartitionKey, record.PartitionKey);
            Assert.Equal(entries[i].Data.ToArray(), record.Data.ToArray());
            Assert.NotNull(record.ApproximateArrivalTimestamp);
            Assert.InRange(record.ApproximateArrivalTimestamp.Value, before.AddMinutes(-1), after.AddMinutes(1));
        }
    }

    [Fact]
    public async Task Iterators_start_at_after_and_from_the_position_asked_for()
    {
        var client = _fixture.Client;
        var stream = KinesisEmulatorFixture.UniqueStreamName("positions");
        await client.CreateStreamAsync(stream, 1);
        await client.WaitForStreamActiveAsync(stream, ActiveTimeout);
        var shardId = Assert.Single(await client.ListShardsAsync(stream)).ShardId;
        var latest = await client.GetShardIteratorAsync(stream, shardId, ShardIteratorPosition.Latest);
        var put = await client.PutRecordsAsync(stream, Enumerable.Range(0, 10).Select(i => Entry($"event-{i}", "same-key")).ToList());
        Assert.Equal(0, put.FailedRecordCount);
        var all = await ReadAsync(stream, shardId, ShardIteratorPosition.TrimHorizon);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"event-{i}"), all.Select(Text));
        Assert.Equal(put.Entries.Select(e => e.SequenceNumber), all.Select(r => r.SequenceNumber));

        var at = await ReadAsync(stream, shardId, ShardIteratorPosition.AtSequenceNumber(all[3].SequenceNumber));
        var afterThird = await ReadAsync(stream, shardId, ShardIteratorPosition.AfterSequenceNumber(all[3].SequenceNumber));
        var atLastArrival = await ReadAsync(stream, shardId, ShardIteratorPosition.AtTimestamp(all[^1].ApproximateArrivalTimestamp!.Value));
        var longBefore = await ReadAsync(stream, shardId, ShardIteratorPosition.AtTimestamp(all[0].ApproximateArrivalTimestamp!.Value.AddHours(-1)));

        Assert.Equal(Enumerable.Range(3, 7).Select(i => $"event-{i}"), at.Select(Text));
        Assert.Equal(Enumerable.Range(4, 6).Select(i => $"event-{i}"), afterThird.Select(Text));
        // AT_TIMESTAMP is inclusive: it starts at the first record that arrived at or after the time.
        var lastArrival = all[^1].ApproximateArrivalTimestamp!.Value;
        Assert.Equal(all.Where(r => r.ApproximateArrivalTimestamp >= lastArrival).Select(Text), atLastArrival.Select(Text));
        Assert.Contains("event-9", atLastArrival.Select(Text));
        Assert.Equal(all.Select(Text), longBefore.Select(Text));

        // LATEST taken before the writes sees them; a LATEST taken now sees only what is written next.
        var (seenByEarlyLatest, _) = await ShardReading.ReadUntilCaughtUpAsync(client, latest);
        var lateLatest = await client.GetShardIteratorAsync(stream, shardId, ShardIteratorPosition.Latest);
        var nothingYet = await client.GetRecordsAsync(lateLatest);
        await client.PutRecordsAsync(stream, [Entry("event-10", "same-key")]);
        var (afterWrite, _) = await ShardReading.ReadUntilCaughtUpAsync(client, nothingYet.NextShardIterator!);

        Assert.Equal(all.Select(Text), seenByEarlyLatest.Select(Text));
        Assert.Empty(nothingYet.Records);
        Assert.Equal(["event-10"], afterWrite.Select(Text));
    }

    private async Task<List<KinesisRecord>> ReadAsync(string stream, string shardId, ShardIteratorPosition position)
    {
        var iterator = await _fixture.Client.GetShardIteratorAsync(stream, shardId, position);
        var (records, _) = await ShardReading.ReadUntilCaughtUpAsync(_fixture.Client, iterator);
        return records;
    }

    private static string Text(KinesisRecord record) => Encoding.UTF8.GetString(record.Data.Span);

    private static PutRecordsEntry Entry(string text, string partitionKey) => new(Encoding.UTF8.GetBytes(text), partitionKey);

    /// <summary>Text records, plus every tenth one binary (all byte values) so base64 round trips are exercised.</summary>
    private static PutRecordsEntry MakeEntry(int i)
    {
        byte[] data = i % 10 == 0
            ? [.. Enumerable.Range(0, 256).Select(b => (byte)((b + i) % 256))]
            : Encoding.UTF8.GetBytes($$$"""{"id":{{{i}}},"type":"user_registration","params":{"n":"ü-{{{i}}}"}}""");
        var partitionKey = i % 50 == 7 ? $"clé-ユーザー-{i % 37}" : $"user-{i % 37}";
        return new PutRecordsEntry(data, partitionKey);
    }
}
