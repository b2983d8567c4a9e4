using System.Text;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Core.Tests.Decoding.Kpl;

public sealed class KplAggregatorTests
{
    private static int KinesisSize(KplAggregatedRecord record) => record.Data.Length + Encoding.UTF8.GetByteCount(record.PartitionKey);

    [Fact]
    public void The_predicted_size_is_the_size_of_the_record_flushed()
    {
        var aggregator = new KplAggregator();
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var data = new byte[random.Next(0, 400)];
            random.NextBytes(data);
            var tags = i % 5 == 0 ? new[] { new KplTag($"t{i}", i % 10 == 0 ? null : "v") } : null;
            Assert.Equal(KplAddResult.Added, aggregator.TryAdd(data, $"ключ-{i % 13}", i % 3 == 0 ? $"{i * 1000}" : null, tags));
        }

        var predicted = aggregator.SizeBytes;
        var aggregate = aggregator.Flush()!;

        Assert.Equal(predicted, KinesisSize(aggregate));
        Assert.Equal(predicted, aggregate.SizeBytes);
        Assert.Equal(300, aggregate.UserRecordCount);
    }

    [Fact]
    public void An_aggregate_is_full_before_it_would_pass_the_limit_and_never_passes_it()
    {
        var aggregator = new KplAggregator(maxRecordBytes: 1000);
        var aggregates = new List<KplAggregatedRecord>();
        var record = new byte[90];
        for (var i = 0; i < 100; i++)
        {
            var result = aggregator.TryAdd(record, $"user-{i}");
            if (result == KplAddResult.Full)
            {
                var before = aggregator.Count;
                aggregates.Add(aggregator.Flush()!);
                Assert.Equal(before, aggregates[^1].UserRecordCount);
                Assert.Equal(0, aggregator.Count);
                result = aggregator.TryAdd(record, $"user-{i}");
            }

            Assert.Equal(KplAddResult.Added, result);
        }

        aggregates.Add(aggregator.Flush()!);

        Assert.All(aggregates, a => Assert.InRange(KinesisSize(a), 1, 1000));
        Assert.All(aggregates[..^1], a => Assert.InRange(KinesisSize(a), 1000 - 110, 1000));
        Assert.Equal(100, aggregates.Sum(a => a.UserRecordCount));
        // Each record costs 105 or 106 bytes (its new key in the table, then the record), so 9 fit under 1000 bytes.
        Assert.All(aggregates[..^1], a => Assert.Equal(9, a.UserRecordCount));
        Assert.Equal(12, aggregates.Count);
    }

    [Fact]
    public void A_record_that_fits_exactly_is_added_and_one_byte_more_is_too_large()
    {
        // Overhead 20 + partition key table (1 + 1 + 1) + record field (1 + 2 + [1 + 1 + 1 + 2 + n]) + partition key 1.
        var aggregator = new KplAggregator(maxRecordBytes: 1000);
        var fits = 1000 - 20 - 3 - 3 - 5 - 1;

        Assert.Equal(KplAddResult.TooLarge, aggregator.TryAdd(new byte[fits + 1], "k"));
        Assert.Equal(0, aggregator.Count);
        Assert.Equal(KplAddResult.Added, aggregator.TryAdd(new byte[fits], "k"));
        Assert.Equal(1000, aggregator.SizeBytes);
        Assert.Equal(KplAddResult.Full, aggregator.TryAdd(Array.Empty<byte>(), "k"));
        Assert.Equal(1000, KinesisSize(aggregator.Flush()!));
    }

    [Fact]
    public void The_default_limit_is_one_MiB_including_the_partition_key()
    {
        var aggregator = new KplAggregator();

        Assert.Equal(1024 * 1024, aggregator.MaxRecordBytes);
        Assert.Equal(KplAddResult.TooLarge, aggregator.TryAdd(new byte[1024 * 1024], "k"));
        Assert.Equal(KplAddResult.Added, aggregator.TryAdd(new byte[(1024 * 1024) - 200], new string('k', 40)));
        Assert.Equal((1024 * 1024) - 88, aggregator.SizeBytes);
        Assert.Equal(KplAddResult.Full, aggregator.TryAdd(new byte[100], "k"));
        Assert.Equal(KplAddResult.Added, aggregator.TryAdd(new byte[60], "k"));
        Assert.InRange(aggregator.Flush()!.SizeBytes, (1024 * 1024) - 88, 1024 * 1024);
    }

    [Fact]
    public void Flushing_an_empty_aggregator_gives_nothing_and_flushing_starts_a_new_aggregate()
    {
        var aggregator = new KplAggregator();

        Assert.Null(aggregator.Flush());
        aggregator.TryAdd("a"u8.ToArray(), "first");
        aggregator.TryAdd("b"u8.ToArray(), "second");
        var one = aggregator.Flush()!;
        aggregator.TryAdd("c"u8.ToArray(), "second");
        var two = aggregator.Flush()!;

        Assert.Equal("first", one.PartitionKey);
        Assert.Equal("second", two.PartitionKey);
        Assert.Equal(1, two.UserRecordCount);
        var output = new List<KplUserRecord>();
        Assert.True(KplAggregate.TryDeaggregate(two.Data, output));
        Assert.Equal("second", Assert.Single(output).PartitionKey);
        Assert.Null(aggregator.Flush());
    }

    [Fact]
    public void Records_are_copied_when_flushed_so_the_caller_may_reuse_its_buffers_afterwards()
    {
        var aggregator = new KplAggregator();
        var buffer = "abc"u8.ToArray();
        aggregator.TryAdd(buffer, "k");
        var aggregate = aggregator.Flush()!;

        buffer[0] = (byte)'X';

        var output = new List<KplUserRecord>();
        Assert.True(KplAggregate.TryDeaggregate(aggregate.Data, output));
        Assert.Equal("abc"u8.ToArray(), output[0].Data.ToArray());
    }

    [Fact]
    public void A_record_needs_a_partition_key_and_a_limit_must_leave_room_for_one()
    {
        var aggregator = new KplAggregator();

        Assert.ThrowsAny<ArgumentException>(() => aggregator.TryAdd("a"u8.ToArray(), ""));
        Assert.ThrowsAny<ArgumentException>(() => aggregator.TryAdd("a"u8.ToArray(), "k", ""));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KplAggregator(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KplAggregator((1024 * 1024) + 1));
    }
}
