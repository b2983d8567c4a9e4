using Streaming.Aws.Kinesis;
using Streaming.Aws.Tests.Emulators;
using Streaming.Aws.Tests.Kinesis;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Aws.Tests.Interop;

/// <summary>
/// Aggregated records made and put by the reference aggregator (aws-kinesis-agg, through put-aggregated.js) read with
/// the project's Kinesis client and <see cref="KplAggregate.TryDeaggregate"/>, as the consumer reads them.
/// </summary>
[Collection(KinesisEmulatorCollection.Name)]
public sealed class ReferenceAggregatedConsumptionTests
{
    private readonly KinesisEmulatorFixture _fixture;

    public ReferenceAggregatedConsumptionTests(KinesisEmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Every_user_record_the_reference_aggregated_is_read_back_with_its_exact_bytes_and_keys_in_order()
    {
        // One shard, so the order of the whole stream is defined and every user record's position can be checked.
        var stream = KinesisEmulatorFixture.UniqueStreamName("kpl-ref");
        await _fixture.Client.CreateStreamAsync(stream, 1);
        await _fixture.Client.WaitForStreamActiveAsync(stream, TimeSpan.FromSeconds(30));
        var inputs = ReferenceInputs.Varied(seed: 20240501);
        var folder = Directory.CreateTempSubdirectory("kpl-ref-").FullName;
        try
        {
            var file = Path.Combine(folder, "records.ndjson");
            await File.WriteAllLinesAsync(file, inputs.Select(InteropJson.Line));

            var put = await KplReference.RunStreamScriptAsync("put-aggregated.js", _fixture.Endpoint, stream, file);

            Assert.True(put.ExitCode == 0, put.Describe());
            var puts = InteropJson.ParseLines<ReferencePut>(put.Output);
            Assert.InRange(puts.Count, 4, 10);
            var (shard, records) = await ReadOnlyShardAsync(stream);
            Assert.Equal(puts.Select(p => p.SequenceNumber), records.Select(r => r.SequenceNumber));
            var read = new List<UserRecordInput>();
            var users = new List<KplUserRecord>();
            foreach (var record in records)
            {
                // As ShardProcessor reads a record: one reused list, cleared before each.
                users.Clear();
                Assert.True(KplAggregate.TryDeaggregate(record.Data, users), $"{shard} {record.SequenceNumber} is not an aggregate the consumer reads");
                Assert.Equal(Enumerable.Range(0, users.Count).Select(i => (long)i), users.Select(u => u.SubSequenceNumber));
                Assert.Equal(users[0].PartitionKey, record.PartitionKey);
                Assert.All(users, u => Assert.Empty(u.Tags));
                read.AddRange(users.Select(u => new UserRecordInput(u.PartitionKey, u.ExplicitHashKey, u.Data.ToArray())));
            }

            UserRecordAssert.Same(inputs, read);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<(string ShardId, List<KinesisRecord> Records)> ReadOnlyShardAsync(string stream)
    {
        var shard = Assert.Single(await _fixture.Client.ListShardsAsync(stream));
        var iterator = await _fixture.Client.GetShardIteratorAsync(stream, shard.ShardId, ShardIteratorPosition.TrimHorizon);
        var (records, _) = await ShardReading.ReadUntilCaughtUpAsync(_fixture.Client, iterator);
        return (shard.ShardId, records);
    }
}
