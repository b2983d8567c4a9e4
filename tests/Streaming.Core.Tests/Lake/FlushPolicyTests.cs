using Streaming.Core.Configuration;
using Streaming.Core.Lake;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Lake;

public sealed class FlushPolicyTests
{
    [Fact]
    public async Task Nothing_is_due_while_under_every_limit()
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync("""{"type":"a","date":"2021-09-16T05:00:00Z"}""");
        Assert.False(lake.Writer.FlushPending);
        var policy = new FlushPolicy(new LakeOptions());
        Assert.Empty(policy.SelectDue([], 0));
    }

    [Fact]
    public void Over_budget_selection_stops_at_three_quarters_of_the_budget()
    {
        var policy = new FlushPolicy(new LakeOptions { MemoryBudget = ByteSize.MiB(1) });
        Assert.False(policy.IsOverBudget(ByteSize.MiB(1).Bytes));
        Assert.True(policy.IsOverBudget(ByteSize.MiB(1).Bytes + 1));
    }
}

public sealed class HourCloseTests
{
    private static string At(int hour, int minute) => $$"""{"type":"t","date":"2021-09-16T{{hour:D2}}:{{minute:D2}}:00Z"}""";

    [Fact]
    public async Task A_buffer_is_written_once_the_event_time_watermark_passes_its_hour_plus_the_grace_and_it_stops_growing()
    {
        var lake = await TestLake.CreateAsync(new LakeOptions { HourCloseGrace = TimeSpan.FromMinutes(10) });
        await lake.AppendAsync(At(5, 30));
        await lake.AppendAsync(At(6, 9), At(5, 59));
        lake.Writer.CheckAge();
        Assert.False(lake.Writer.FlushPending, "hour 5 is not closed before 06:10 of event time");

        // The wall clock is years past 2021: only event time counts.
        await lake.AppendAsync(At(6, 10), At(5, 50));
        lake.Time.Advance(TimeSpan.FromSeconds(15));
        lake.Writer.CheckAge();
        Assert.False(lake.Writer.FlushPending, "closed, but it took events since the last look");
        lake.Time.Advance(TimeSpan.FromSeconds(15));
        lake.Writer.CheckAge();
        Assert.True(lake.Writer.FlushPending);
        await lake.Writer.FlushDueAsync(CancellationToken.None);
        var file = Assert.Single(lake.Files.Files);
        Assert.Equal(5, file.Key.HourStartUtc.Hour);
        Assert.Equal(3, file.Rows.Count);

        // A late event of the closed hour starts a new file in the same partition.
        await lake.AppendAsync(At(5, 45));
        for (var i = 0; i < 2; i++)
        {
            lake.Time.Advance(TimeSpan.FromSeconds(15));
            lake.Writer.CheckAge();
        }

        await lake.Writer.FlushDueAsync(CancellationToken.None);
        Assert.Equal(2, lake.Files.Files.Count);
        Assert.All(lake.Files.Files, f => Assert.Equal(5, f.Key.HourStartUtc.Hour));
    }

    [Fact]
    public async Task One_far_future_event_cannot_close_every_hour_the_watermark_stops_at_the_wall_clock()
    {
        var lake = await TestLake.CreateAsync(new LakeOptions { HourCloseGrace = TimeSpan.FromMinutes(10) });
        var now = TestLake.Now.UtcDateTime;
        await lake.AppendAsync($$"""{"type":"t","date":"{{now:yyyy-MM-dd'T'HH}}:00:00Z"}""", """{"type":"t","date":"2099-01-01T00:00:00Z"}""");
        Assert.Equal(TestLake.Now.ToUnixTimeMilliseconds(), lake.Writer.Router.EventTimeWatermarkMs);
        for (var i = 0; i < 3; i++)
        {
            lake.Time.Advance(TimeSpan.FromSeconds(15));
            lake.Writer.CheckAge();
        }

        Assert.False(lake.Writer.FlushPending);
    }
}
