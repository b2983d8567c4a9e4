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
