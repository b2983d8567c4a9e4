using Streaming.Core.Configuration;

namespace Streaming.Core.Tests.Configuration;

/// <summary>The sizing rule docs/memory.md, the README and the Helm chart give: budget + 256 MiB, + 25 MiB a shard past four.</summary>
public sealed class MemoryBoundsTests
{
    [Theory]
    [InlineData(384, 0, 512, 640)]
    [InlineData(384, 4, 512, 640)]
    [InlineData(64, 2, 192, 320)]
    [InlineData(64, 8, 292, 420)]
    [InlineData(1024, 16, 1452, 1580)]
    public void The_heap_and_process_limits_follow_the_budget_and_the_shards_read_past_four(int budgetMiB, int shards, int heapMiB, int processMiB)
    {
        var budget = ByteSize.MiB(budgetMiB);
        Assert.Equal(ByteSize.MiB(heapMiB).Bytes, MemoryBounds.HeapLimit(budget, shards));
        Assert.Equal(ByteSize.MiB(processMiB).Bytes, MemoryBounds.ProcessLimit(budget, shards));
    }

    [Fact]
    public void Files_in_flight_may_hold_a_quarter_of_the_budget()
    {
        Assert.Equal(ByteSize.MiB(96).Bytes, MemoryBounds.PublishingLimit(ByteSize.MiB(384)));
    }
}
