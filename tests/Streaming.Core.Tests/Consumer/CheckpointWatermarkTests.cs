using System.Text;
using Streaming.Core.Configuration;
using Streaming.Core.Lake;
using Streaming.Core.Leases;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Consumer;

/// <summary>The checkpoint may only pass what is durable: the oldest open buffer holds it back.</summary>
public sealed class CheckpointWatermarkTests
{
    private sealed class Journal : IFlushJournal
    {
        public List<string> Calls { get; } = [];

        public Task BeforeWriteAsync(FileIntent intent, CancellationToken cancellationToken)
        {
            Calls.Add($"before {intent.Partition} {intent.First.Sequence}..{intent.Last.Sequence}");
            return Task.CompletedTask;
        }

        public Task AfterWriteAsync(FileIntent intent, CancellationToken cancellationToken)
        {
            Calls.Add($"after {intent.Partition}");
            return Task.CompletedTask;
        }
    }

    private static void Put(LakeWriter writer, string type, int hour, long sequence, ShardPosition completeBefore)
    {
        writer.ResumePoint = completeBefore;
        writer.AppendPayload(Encoding.UTF8.GetBytes($$"""{"type":"{{type}}","date":"2021-09-16T{{hour:D2}}:00:00Z"}"""), "shard-1", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), 0);
    }

    [Fact]
    public async Task The_oldest_open_buffer_holds_the_checkpoint_back_until_it_is_written()
    {
        var lake = await TestLake.CreateAsync();
        var writer = lake.Writer;
        Assert.Null(writer.OldestResumePoint);
        Put(writer, "a", 1, 10, ShardPosition.TrimHorizon);
        Put(writer, "b", 1, 11, ShardPosition.At("10"));
        Put(writer, "a", 1, 12, ShardPosition.At("11"));
        Assert.Equal(ShardPosition.TrimHorizon, writer.OldestResumePoint);

        await writer.FlushAllAsync(FlushReason.EndOfInput, CancellationToken.None);
        Assert.Null(writer.OldestResumePoint);
        Assert.False(writer.HasOpenBuffers);
    }

    [Fact]
    public async Task Each_file_is_announced_before_it_is_written_and_confirmed_after()
    {
        var lake = await TestLake.CreateAsync(new LakeOptions { TargetFileSize = new ByteSize(1024) });
        var journal = new Journal();
        lake.Writer.Journal = journal;
        Put(lake.Writer, "a", 1, 10, ShardPosition.TrimHorizon);
        Put(lake.Writer, "a", 1, 11, ShardPosition.At("10"));
        await lake.Writer.FlushAllAsync(FlushReason.EndOfInput, CancellationToken.None);
        var key = Assert.Single(lake.Store.Objects.Keys, k => k.StartsWith("a/", StringComparison.Ordinal));
        Assert.EndsWith("part-shard-1-10-00000-00000.parquet".Replace(".parquet", ".jsonl", StringComparison.Ordinal), key, StringComparison.Ordinal);
        Assert.Equal(["before a/" + PartitionKey.For("a", new DateTimeOffset(2021, 9, 16, 1, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()).Hour + " 10..11", "after a/" + PartitionKey.For("a", new DateTimeOffset(2021, 9, 16, 1, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()).Hour], journal.Calls);
    }

    [Fact]
    public async Task A_replayed_run_is_not_written_before_its_cut_whatever_the_pressure()
    {
        var lake = await TestLake.CreateAsync(new LakeOptions { TargetFileSize = new ByteSize(1024), MaxOpenPartitions = 1 });
        var hour = PartitionKey.For("a", new DateTimeOffset(2021, 9, 16, 1, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()).Hour;
        var progress = new Core.Consumer.ShardProgress();
        progress.BeginFile($"a/{hour}", new Core.Consumer.EventPosition(10, 0, 0), new Core.Consumer.EventPosition(50, 0, 0));
        lake.Writer.Replay = progress;
        for (var s = 10; s < 50; s++)
        {
            Put(lake.Writer, "a", 1, s, ShardPosition.TrimHorizon);
            Put(lake.Writer, "b", 2, 1000 + s, ShardPosition.TrimHorizon);
            if (lake.Writer.FlushPending)
            {
                await lake.Writer.FlushDueAsync(CancellationToken.None);
            }
        }

        Assert.DoesNotContain(lake.Store.Objects.Keys, k => k.StartsWith("a/", StringComparison.Ordinal));
        Put(lake.Writer, "a", 1, 50, ShardPosition.TrimHorizon);
        await lake.Writer.FlushDueAsync(CancellationToken.None);
        Assert.Equal(41, lake.RowsOf("a").Count);
        Assert.Single(lake.Store.Objects.Keys, k => k.StartsWith("a/", StringComparison.Ordinal) && k.Contains("part-shard-1-10-", StringComparison.Ordinal));
    }
}
