using System.Text;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Tests.Support;
using Streaming.Cli.Produce;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Aws.Tests.Produce;

public sealed class KinesisProducerTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<ReadOnlyMemory<byte>> Events(int count, int size = 0) =>
        [.. Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"{{\"id\":\"e{i}\",\"pad\":\"{new string('x', size)}\"}}"))];

    private static string Text(PutRecordsEntry entry) => Encoding.UTF8.GetString(entry.Data.Span);

    private static KinesisProducer Producer(FakeKinesisClient client, TimeProvider time, ProducerOptions? options = null) =>
        new(client, options ?? new ProducerOptions { StreamName = "events" }, time, jitter: () => 0.5);

    [Fact]
    public async Task Only_the_entries_that_failed_are_sent_again_after_a_backoff()
    {
        var client = new FakeKinesisClient();
        client.Answer = (call, records) => call == 0
            ? new PutRecordsResult(4, [.. records.Select((_, i) => i % 3 == 0 ? FakeKinesisClient.Error("ProvisionedThroughputExceededException") : client.Ok())])
            : null;
        var time = new TimerWatchingTimeProvider(Start);
        var events = Events(10);

        var summary = await VirtualTime.RunAsync(time, () => Producer(client, time).RunAsync(events));

        Assert.Equal(2, client.Calls.Count);
        Assert.Equal(events.Select(e => Encoding.UTF8.GetString(e.Span)), client.Calls[0].Select(Text));
        Assert.Equal(["e0", "e3", "e6", "e9"], client.Calls[1].Select(e => e.PartitionKey));
        Assert.Equal(client.Calls[0].Where((_, i) => i % 3 == 0), client.Calls[1]);
        Assert.Equal(4, summary.Retries);
        Assert.Equal(10, summary.EventsDelivered);
        Assert.Equal(10, summary.RecordsSent);
        Assert.Equal(2, summary.PutRecordsCalls);
        // Equal jitter at 0.5: three quarters of the 100 ms base step, on the fake clock only.
        Assert.Equal(TimeSpan.FromMilliseconds(75), time.GetUtcNow() - Start);
    }

    [Fact]
    public async Task Resends_back_off_exponentially_and_give_up_after_the_last_attempt_saying_how_much_was_lost()
    {
        var client = new FakeKinesisClient();
        client.Answer = (_, records) => new PutRecordsResult(1, [.. records.Select((r, i) => r.PartitionKey == "e1" ? FakeKinesisClient.Error("ProvisionedThroughputExceededException") : client.Ok())]);
        var time = new TimerWatchingTimeProvider(Start);
        var producer = Producer(client, time, new ProducerOptions { StreamName = "events", MaxAttempts = 4 });

        var error = await Assert.ThrowsAsync<ProduceFailedException>(() => VirtualTime.RunAsync(time, () => producer.RunAsync(Events(3))));

        Assert.Equal(4, client.Calls.Count);
        Assert.All(client.Calls.Skip(1), call => Assert.Equal("e1", Assert.Single(call).PartitionKey));
        Assert.StartsWith("1 record (1 event) not delivered to events after 4 attempts; error ProvisionedThroughputExceededException", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Summary.EventsDelivered);
        Assert.Equal(3, error.Summary.Retries);
        Assert.Equal(TimeSpan.FromMilliseconds(75 + 150 + 300), time.GetUtcNow() - Start);
    }

    [Fact]
    public async Task Entry_errors_that_cannot_pass_are_not_resent()
    {
        var client = new FakeKinesisClient();
        client.Answer = (call, records) => call == 0
            ? new PutRecordsResult(2, [FakeKinesisClient.Error("KMSAccessDeniedException"), client.Ok(), FakeKinesisClient.Error("InternalFailure")])
            : null;
        var time = new TimerWatchingTimeProvider(Start);

        var error = await Assert.ThrowsAsync<ProduceFailedException>(() => VirtualTime.RunAsync(time, () => Producer(client, time).RunAsync(Events(3))));

        Assert.Equal(2, client.Calls.Count);
        Assert.Equal("e2", Assert.Single(client.Calls[1]).PartitionKey);
        Assert.StartsWith("1 record (1 event) not delivered", error.Message, StringComparison.Ordinal);
        Assert.Contains("error KMSAccessDeniedException", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("InternalFailure", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Summary.EventsDelivered);
    }

    [Fact]
    public async Task A_throttled_call_is_tried_again_whole_and_a_fatal_one_stops_the_run()
    {
        var client = new FakeKinesisClient();
        client.Answer = (call, _) => call == 0 ? throw new KinesisException(KinesisErrorKind.Throttled, "PutRecords", "LimitExceededException", "slow down") : null;
        var time = new TimerWatchingTimeProvider(Start);

        var summary = await VirtualTime.RunAsync(time, () => Producer(client, time).RunAsync(Events(5)));

        Assert.Equal(2, client.Calls.Count);
        Assert.Equal(client.Calls[0], client.Calls[1]);
        Assert.Equal(5, summary.EventsDelivered);

        var missing = new FakeKinesisClient { Answer = (_, _) => throw new KinesisException(KinesisErrorKind.NotFound, "PutRecords", "ResourceNotFoundException", "Stream events not found") };
        var error = await Assert.ThrowsAsync<ProduceFailedException>(() => Producer(missing, time).RunAsync(Events(5)));
        Assert.Single(missing.Calls);
        Assert.Contains("5 records (5 events) not delivered to events after 1 attempt", error.Message, StringComparison.Ordinal);
        Assert.Contains("ResourceNotFoundException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batches_hold_at_most_the_batch_size()
    {
        var client = new FakeKinesisClient();

        var summary = await Producer(client, TimeProvider.System).RunAsync(Events(1234));
        var small = new FakeKinesisClient();
        await Producer(small, TimeProvider.System, new ProducerOptions { StreamName = "events", BatchSize = 100 }).RunAsync(Events(250));

        Assert.Equal([500, 500, 234], client.Calls.Select(c => c.Count));
        Assert.Equal([100, 100, 50], small.Calls.Select(c => c.Count));
        Assert.Equal(1234, summary.RecordsSent);
        Assert.Equal(0, summary.AggregatedRecords);
    }

    [Fact]
    public async Task Batches_stay_within_five_MiB_and_events_over_one_MiB_are_not_sent()
    {
        var client = new FakeKinesisClient();
        var events = Events(20, size: 700_000);
        events.Insert(5, Encoding.UTF8.GetBytes($"{{\"id\":\"huge\",\"pad\":\"{new string('x', 1024 * 1024)}\"}}"));

        var summary = await Producer(client, TimeProvider.System).RunAsync(events);

        Assert.All(client.Calls, c => Assert.InRange(c.Sum(e => e.Data.Length + Encoding.UTF8.GetByteCount(e.PartitionKey)), 1, 5 * 1024 * 1024));
        Assert.Equal([7, 7, 6], client.Calls.Select(c => c.Count));
        Assert.DoesNotContain(client.Calls.SelectMany(c => c), e => e.PartitionKey == "huge");
        Assert.Equal(1, summary.EventsTooLarge);
        Assert.Equal(21, summary.Events);
        Assert.Equal(20, summary.EventsDelivered);
    }

    [Fact]
    public async Task Aggregates_are_built_per_shard_and_put_with_a_hash_key_inside_that_shard()
    {
        var middle = HashKeyRange.MaxHashKey / 2;
        var client = new FakeKinesisClient
        {
            Shards =
            [
                FakeKinesisClient.Shard("shardId-000000000001", middle + 1, HashKeyRange.MaxHashKey),
                FakeKinesisClient.Shard("shardId-000000000000", 0, middle),
            ],
        };
        var events = Enumerable.Range(0, 400).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"{{\"user_id\":{i % 40},\"n\":{i}}}")).ToList();
        var options = new ProducerOptions { StreamName = "events", Aggregate = true, MaxAggregateBytes = 2048 };

        var summary = await Producer(client, TimeProvider.System, options).RunAsync(events);

        var records = client.Calls.SelectMany(c => c).ToList();
        var seen = new List<string>();
        foreach (var record in records)
        {
            var users = new List<KplUserRecord>();
            Assert.True(KplAggregate.TryDeaggregate(record.Data, users));
            var hashKey = System.Numerics.BigInteger.Parse(record.ExplicitHashKey!, System.Globalization.CultureInfo.InvariantCulture);
            var shard = client.Shards.Single(s => s.HashKeyRange.Contains(hashKey));
            Assert.Equal(users[0].PartitionKey, record.PartitionKey);
            Assert.All(users, u => Assert.True(shard.HashKeyRange.Contains(ShardMap.HashKey(u.PartitionKey)), $"{u.PartitionKey} is not in {shard.ShardId}"));
            Assert.InRange(record.Data.Length + Encoding.UTF8.GetByteCount(record.PartitionKey), 1, 2048);
            seen.AddRange(users.Select(u => Encoding.UTF8.GetString(u.Data.Span)));
        }

        Assert.Equal(events.Select(e => Encoding.UTF8.GetString(e.Span)).Order(), seen.Order());
        Assert.Equal(records.Count, summary.AggregatedRecords);
        Assert.Equal(records.Count, summary.RecordsSent);
        Assert.Equal(400, summary.EventsDelivered);
        Assert.InRange(records.Count, 4, 20);
    }

    [Fact]
    public async Task A_lone_event_is_sent_as_an_ordinary_record_as_the_KPL_does()
    {
        var client = new FakeKinesisClient();

        var summary = await Producer(client, TimeProvider.System, new ProducerOptions { StreamName = "events", Aggregate = true }).RunAsync(Events(1));

        var record = Assert.Single(Assert.Single(client.Calls));
        Assert.False(KplAggregate.HasMagic(record.Data.Span));
        Assert.Null(record.ExplicitHashKey);
        Assert.Equal("e0", record.PartitionKey);
        Assert.Equal(0, summary.AggregatedRecords);
    }

    [Fact]
    public async Task A_rate_paces_events_on_the_clock_and_sends_what_waited_too_long()
    {
        var client = new FakeKinesisClient();
        var time = new TimerWatchingTimeProvider(Start);
        var options = new ProducerOptions { StreamName = "events", EventsPerSecond = 10, MaxBufferedTime = TimeSpan.FromMilliseconds(250) };

        var summary = await VirtualTime.RunAsync(time, () => Producer(client, time, options).RunAsync(Events(20)));

        // The first token is there at once, the next 19 come 100 ms apart; a batch goes once its oldest event waited 250 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(1900), time.GetUtcNow() - Start);
        Assert.Equal(TimeSpan.FromMilliseconds(1900), summary.Elapsed);
        Assert.Equal(20, client.Calls.Sum(c => c.Count));
        Assert.Equal([4, 4, 4, 4, 4], client.Calls.Select(c => c.Count));
    }
}
