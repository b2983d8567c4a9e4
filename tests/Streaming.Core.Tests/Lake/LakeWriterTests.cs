using System.Text;
using System.Text.Json;
using Streaming.Core.Configuration;
using Streaming.Core.Events;
using Streaming.Core.Lake;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Lake;

public sealed class LakeWriterTests
{
    [Fact]
    public async Task Events_are_routed_by_type_and_utc_hour()
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync(
            """{"type":"a","date":"2021-09-16T05:59:59.999Z"}""",
            """{"type":"a","date":"2021-09-16T06:00:00Z"}""",
            """{"type":"a","date":"2021-09-16T15:30:00+09:00"}""",
            """{"type":"b","date":"2021-09-16T05:10:00Z"}""");
        await lake.FlushAsync();
        var keys = lake.Store.Objects.Keys.Where(k => !k.StartsWith('_')).Select(k => k[..k.LastIndexOf('/')]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["a/year=2021/month=09/day=16/hour=05", "a/year=2021/month=09/day=16/hour=06", "b/year=2021/month=09/day=16/hour=05"],
            keys);
        Assert.Equal(2, lake.RowsOf("a").Count(r => ((DateTimeOffset)r["date"]!).Hour == 6));
    }

    [Fact]
    public async Task Rejected_events_are_kept_with_reason_source_and_original_bytes()
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync("""{"type":"ok","date":"2021-09-16T05:00:00Z"}""", "not json", """{"no":"type"}""");
        var position = SourcePosition.Line("bin.dat", 9);
        lake.Writer.Append([0xFF, 0xFE, 0x00], position, TestLake.Now.ToUnixTimeMilliseconds());
        await lake.FlushAsync();
        var rejected = lake.Rejected();
        Assert.Equal(3, rejected.Count);
        Assert.Equal("invalid_json", rejected[0].GetProperty("reason").GetString());
        Assert.Equal("not json", rejected[0].GetProperty("raw").GetString());
        Assert.Equal("test.ndjson", rejected[0].GetProperty("source_file").GetString());
        Assert.Equal(2, rejected[0].GetProperty("source_line").GetInt64());
        Assert.Equal("missing_type", rejected[1].GetProperty("reason").GetString());
        Assert.Equal("invalid_utf8", rejected[2].GetProperty("reason").GetString());
        Assert.Equal(Convert.ToBase64String([0xFF, 0xFE, 0x00]), rejected[2].GetProperty("raw_base64").GetString());
        Assert.False(rejected[2].TryGetProperty("raw", out _));
        Assert.Equal(3, lake.Writer.Stats.Rejected);
        Assert.Equal(1, lake.Writer.Stats.Rows);
        Assert.StartsWith("_errors/year=2024/month=05/day=06/hour=07/part-", lake.Store.Objects.Keys.Single(k => k.StartsWith("_errors", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_input_gives_the_same_file_names_and_a_rerun_writes_nothing_twice()
    {
        var lines = Enumerable.Range(0, 500).Select(i => $$"""{"type":"t{{i % 3}}","date":"2021-09-16T0{{i % 4}}:00:00Z","i":{{i}}}""").ToArray();
        var store = new InMemoryLakeStore();
        var first = await TestLake.CreateAsync(store: store);
        await first.AppendAsync(lines);
        await first.FlushAsync();
        var keys = store.Objects.Keys.Order(StringComparer.Ordinal).ToList();

        var other = await TestLake.CreateAsync();
        await other.AppendAsync(lines);
        await other.FlushAsync();
        Assert.Equal(keys, other.Store.Objects.Keys.Order(StringComparer.Ordinal));

        var rerun = await TestLake.CreateAsync(store: store);
        await rerun.AppendAsync(lines);
        await rerun.FlushAsync();
        Assert.Equal(keys, store.Objects.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, rerun.Writer.Stats.FilesWritten);
        Assert.Equal(12, rerun.Writer.Stats.FilesAlreadyPresent);
        Assert.Equal(500, rerun.Writer.Stats.RowsAlreadyPresent);
    }

    [Fact]
    public async Task A_buffer_is_written_when_it_reaches_the_target_size()
    {
        var lake = await TestLake.CreateAsync(new LakeOptions { TargetFileSize = new ByteSize(64 * 1024), MemoryBudget = ByteSize.MiB(64) });
        var lines = Enumerable.Range(0, 5000).Select(i => $$"""{"type":"t","date":"2021-09-16T05:00:00Z","i":{{i}},"s":"{{new string('x', 40)}}"}""").ToArray();
        await lake.AppendAsync(lines);
        Assert.NotEmpty(lake.Files.Files);
        await lake.FlushAsync();
        Assert.True(lake.Files.Files.Count > 2);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (object?)(long)i), lake.RowsOf("t").Select(r => r["i"]));
    }

    [Fact]
    public async Task Over_the_memory_budget_the_largest_buffers_are_written_first_and_nothing_is_lost()
    {
        var lake = await TestLake.CreateAsync(new LakeOptions { TargetFileSize = ByteSize.MiB(64), MemoryBudget = ByteSize.MiB(1) });
        var lines = new List<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var big = i % 10 == 0 ? "small" : "big";
            lines.Add($$"""{"type":"{{big}}","date":"2021-09-16T05:00:00Z","i":{{i}},"pad":"{{new string('p', big == "big" ? 100 : 10)}}"}""");
        }

        await lake.AppendAsync([.. lines]);
        Assert.True(lake.Writer.BufferedBytes <= ByteSize.MiB(1).Bytes + (256 * 1024));
        Assert.Contains(lake.Files.Files, f => f.Key.Table == "big");
        await lake.FlushAsync();
        Assert.Equal(20_000, lake.Files.AllRows.Count());
        Assert.Equal(20_000, lake.Files.AllRows.Select(r => r["i"]).Distinct().Count());
    }

    [Fact]
    public async Task Past_the_open_partition_cap_the_least_recently_used_is_written()
    {
        var lake = await TestLake.CreateAsync(new LakeOptions { MaxOpenPartitions = 3 });
        await lake.AppendAsync(Enumerable.Range(0, 10).Select(h => $$"""{"type":"t","date":"2021-09-16T{{h:D2}}:00:00Z"}""").ToArray());
        Assert.True(lake.Writer.OpenPartitions <= 3);
        Assert.Equal(new DateTime(2021, 9, 16, 0, 0, 0, DateTimeKind.Utc), lake.Files.Files[0].Key.HourStartUtc);
        await lake.FlushAsync();
        Assert.Equal(10, lake.Files.AllRows.Count());
    }

    [Fact]
    public async Task Compressed_payloads_with_several_events_are_inflated_and_split()
    {
        var lake = await TestLake.CreateAsync();
        var text = Encoding.UTF8.GetBytes("{\"type\":\"a\",\"date\":\"2021-09-16T05:00:00Z\"}\n\n{\"type\":\"b\",\"date\":\"2021-09-16T05:00:00Z\"}\r\nbroken\n");
        lake.Writer.AppendPayload(Decoding.PayloadDecoderTests.Gzip(text), "shardId-000000000001", "4959", 0);
        lake.Writer.AppendPayload(Decoding.PayloadDecoderTests.Zlib(text), "shardId-000000000001", "4960", 0);
        lake.Writer.AppendPayload(new byte[] { 0x1f, 0x8b, 1, 2, 3 }, "shardId-000000000001", "4961", 0);
        await lake.FlushAsync();
        Assert.Equal(2, lake.RowsOf("a").Count);
        Assert.Equal(2, lake.RowsOf("b").Count);
        var rejected = lake.Rejected();
        Assert.Equal(["invalid_json", "invalid_json", "decompression_failed"], rejected.Select(r => r.GetProperty("reason").GetString()));
        Assert.Equal("4959", rejected[0].GetProperty("sequence_number").GetString());
        Assert.Equal(0, rejected[0].GetProperty("sub_sequence_number").GetInt64());
        Assert.Equal(2, rejected[0].GetProperty("event_index").GetInt64());
        Assert.Equal("shardId-000000000001", rejected[2].GetProperty("shard_id").GetString());
    }

    [Fact]
    public async Task Summary_counts_add_up()
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync("""{"type":"a","date":"2021-09-16T05:00:00Z"}""", "x", """{"type":"a"}""", "[]");
        await lake.FlushAsync();
        var s = lake.Writer.Stats;
        Assert.Equal(4, s.Events);
        Assert.Equal(2, s.Rows);
        Assert.Equal(2, s.RowsWritten);
        Assert.Equal(2, s.Rejected);
        Assert.Equal(1, s.RejectedByReason[RejectReason.InvalidJson]);
        Assert.Equal(1, s.RejectedByReason[RejectReason.NotAnObject]);
        Assert.Single(s.Tables);
        Assert.Equal(2, s.Partitions.Count);
        Assert.Equal(1, s.ErrorFilesWritten);
        _ = JsonSerializer.Serialize(s.RejectedByReason);
    }

    [Fact]
    public async Task Writers_sharing_a_memory_account_answer_to_one_budget()
    {
        var store = new InMemoryLakeStore();
        var options = new LakeOptions { TargetFileSize = ByteSize.MiB(64), MemoryBudget = ByteSize.MiB(1) };
        var shared = new MemoryAccount();
        var first = await TestLake.CreateAsync(options, store, shared);
        var second = await TestLake.CreateAsync(options, store, shared);
        var big = Enumerable.Range(0, 6000).Select(i => $$"""{"type":"a","date":"2021-09-16T05:00:00Z","pad":"{{new string('p', 100)}}","i":{{i}}}""").ToArray();
        await first.AppendAsync(big[..3000]);
        Assert.Empty(first.Files.Files);
        Assert.True(shared.Bytes > 0);

        // The second writer's own buffers are small, but together they pass the budget: it writes its largest.
        await second.AppendAsync(big[3000..]);
        Assert.NotEmpty(second.Files.Files);
        Assert.True(shared.Bytes <= ByteSize.MiB(1).Bytes + (512 * 1024), $"{shared.Bytes}");

        first.Writer.Router.Abandon();
        await second.FlushAsync();
        Assert.Equal(0, shared.Bytes);
    }

    [Fact]
    public async Task Answers_being_routed_count_in_the_account_but_do_not_make_buffers_be_written_early()
    {
        var store = new InMemoryLakeStore();
        var options = new LakeOptions { TargetFileSize = ByteSize.MiB(64), MemoryBudget = ByteSize.MiB(1) };
        var shared = new MemoryAccount();
        var lake = await TestLake.CreateAsync(options, store, shared);
        var events = Enumerable.Range(0, 100).Select(i => $$"""{"type":"a","date":"2021-09-16T05:00:00Z","i":{{i}}}""").ToArray();

        // Ten times the budget in answers: writing the small buffer could not free any of it.
        shared.AddReading(ByteSize.MiB(10).Bytes);
        await lake.AppendAsync(events[..50]);
        Assert.Empty(lake.Files.Files);
        Assert.Equal(ByteSize.MiB(10).Bytes + lake.Writer.BufferedBytes, shared.Bytes);
        Assert.Equal(lake.Writer.BufferedBytes, shared.WritableBytes);

        // Memory that writing can free (another shard's buffers, an encode) does make it write.
        shared.Add(ByteSize.MiB(1).Bytes);
        await lake.AppendAsync(events[50..]);
        Assert.NotEmpty(lake.Files.Files);

        shared.Add(-ByteSize.MiB(1).Bytes);
        shared.AddReading(-ByteSize.MiB(10).Bytes);
        await lake.FlushAsync();
        Assert.Equal(0, shared.Bytes);
        Assert.Equal(100, lake.Files.AllRows.Count());
    }
}
