using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Streaming.Aws.Tests.Emulators;
using Streaming.Cli.Produce;
using Streaming.TestSupport.Emulators;

namespace Streaming.Aws.Tests.Interop;

/// <summary>
/// What the real <c>streaming produce --aggregate</c> process puts, read back by the reference deaggregator
/// (aws-kinesis-agg, through read-deaggregated.js) with every aggregate's MD5 checked.
/// </summary>
[Collection(KinesisEmulatorCollection.Name)]
public sealed class ProduceAggregateReferenceTests
{
    private static readonly TimeSpan ProduceTimeout = TimeSpan.FromMinutes(3);
    private readonly KinesisEmulatorFixture _fixture;

    public ProduceAggregateReferenceTests(KinesisEmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Every_event_produce_aggregates_passes_the_reference_checksums_once_with_its_own_key_on_its_keys_shard()
    {
        var stream = KinesisEmulatorFixture.UniqueStreamName("kpl-cli");
        await _fixture.Client.CreateStreamAsync(stream, 2);
        await _fixture.Client.WaitForStreamActiveAsync(stream, TimeSpan.FromSeconds(30));
        var events = ProducedEvents.Varied(count: 2500, seed: 7);
        var folder = Directory.CreateTempSubdirectory("kpl-cli-").FullName;
        try
        {
            var file = Path.Combine(folder, "events.ndjson");
            await File.WriteAllLinesAsync(file, events.Select(e => e.Line), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

            var produce = await ProduceAsync(stream, file);
            var read = await KplReference.RunStreamScriptAsync("read-deaggregated.js", _fixture.Endpoint, stream);

            Assert.True(produce.ExitCode == 0, produce.Describe());
            using var summary = JsonDocument.Parse(produce.Output);
            var aggregated = summary.RootElement.GetProperty("aggregated_records").GetInt32();
            Assert.Equal(events.Count, summary.RootElement.GetProperty("events_delivered").GetInt32());
            Assert.InRange(aggregated, 4, 20);
            Assert.True(read.ExitCode == 0, read.Describe());
            var users = InteropJson.ParseLines<ReferenceUserRecord>(read.Output);
            var shards = new ShardMap(await _fixture.Client.ListShardsAsync(stream));
            AssertEachEventOnceWithItsKeyOnItsShard(events, users, shards);
            AssertAggregatesAreWhole(users, aggregated, summary.RootElement.GetProperty("records_sent").GetInt32());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void AssertEachEventOnceWithItsKeyOnItsShard(List<ProducedEvent> events, List<ReferenceUserRecord> users, ShardMap shards)
    {
        var read = users.Select(u => (Line: Encoding.UTF8.GetString(u.Data), u.PartitionKey, u.ShardId, u.ExplicitHashKey)).ToList();
        Assert.Equal(events.Select(e => e.Line).Order(StringComparer.Ordinal), read.Select(r => r.Line).Order(StringComparer.Ordinal));
        var keyOf = events.ToDictionary(e => e.Line, e => e.PartitionKey, StringComparer.Ordinal);
        Assert.All(read, r =>
        {
            Assert.Equal(keyOf[r.Line], r.PartitionKey);
            Assert.Equal(shards.ShardFor(ShardMap.HashKey(r.PartitionKey)).ShardId, r.ShardId);

            // produce sends each aggregate to its shard with the aggregate's own explicit hash key, never a user record's.
            Assert.Null(r.ExplicitHashKey);
        });
        Assert.Equal(2, read.Select(r => r.ShardId).Distinct().Count());

        // Nothing was resent, so each key's events keep the order they were read in.
        foreach (var key in events.GroupBy(e => e.PartitionKey))
        {
            Assert.Equal(key.Select(e => e.Line), read.Where(r => r.PartitionKey == key.Key).Select(r => r.Line));
        }
    }

    /// <summary>Sub-sequence numbers count 0..n-1 in each aggregate, which is put with its first user record's key.</summary>
    private static void AssertAggregatesAreWhole(List<ReferenceUserRecord> users, int aggregated, int recordsSent)
    {
        var records = users.GroupBy(u => (u.ShardId, u.SequenceNumber)).ToList();
        Assert.Equal(recordsSent, records.Count);
        Assert.Equal(aggregated, records.Count(r => r.First().SubSequenceNumber is not null));
        Assert.All(records.Where(r => r.First().SubSequenceNumber is not null), r =>
        {
            Assert.Equal(Enumerable.Range(0, r.Count()).Select(i => (long?)i), r.Select(u => u.SubSequenceNumber));
            Assert.Equal(r.First().PartitionKey, r.First().RecordPartitionKey);
        });
        Assert.All(records.Where(r => r.First().SubSequenceNumber is null), r => Assert.Single(r));
    }

    private async Task<ProcessRun> ProduceAsync(string stream, string file)
    {
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(typeof(Streaming.Cli.Program).Assembly.Location);
        foreach (var argument in new[]
        {
            "produce", "--stream", stream, "--file", file, "--aggregate", "--json",
            "--endpoint", _fixture.Endpoint.ToString(), "--region", LocalAwsStack.Region,
        })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["AWS_ACCESS_KEY_ID"] = LocalAwsStack.AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.SecretAccessKey;
        return await ProcessRun.RunAsync(info, ProduceTimeout);
    }
}
