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
    [Fact]
    public async Task A_buffer_is_written_when_its_hour_has_passed_plus_the_grace_and_late_events_start_a_new_file()
    {
        var lake = await TestLake.CreateAsync(new LakeOptions { HourCloseGrace = TimeSpan.FromMinutes(10) });
        var hour = TestLake.Now.UtcDateTime.Hour;
        var inThisHour = $$"""{"type":"t","date":"{{TestLake.Now.UtcDateTime:yyyy-MM-dd'T'HH}}:30:00Z"}""";
        await lake.AppendAsync(inThisHour);
        lake.Writer.CheckAge();
        Assert.False(lake.Writer.FlushPending);

        lake.Time.SetUtcNow(new DateTimeOffset(TestLake.Now.UtcDateTime.Date.AddHours(hour + 1).AddMinutes(9)));
        lake.Writer.CheckAge();
        Assert.False(lake.Writer.FlushPending);
        lake.Time.Advance(TimeSpan.FromMinutes(1));
        lake.Writer.CheckAge();
        Assert.True(lake.Writer.FlushPending);
        await lake.Writer.FlushDueAsync(CancellationToken.None);
        Assert.Single(lake.Files.Files);

        await lake.AppendAsync(inThisHour);
        lake.Writer.CheckAge();
        Assert.False(lake.Writer.FlushPending, "looked again too soon");
        lake.Time.Advance(TimeSpan.FromSeconds(15));
        lake.Writer.CheckAge();
        await lake.Writer.FlushDueAsync(CancellationToken.None);
        Assert.Equal(2, lake.Files.Files.Count);
        Assert.All(lake.Files.Files, f => Assert.Equal(hour, f.Key.HourStartUtc.Hour));
    }
}
