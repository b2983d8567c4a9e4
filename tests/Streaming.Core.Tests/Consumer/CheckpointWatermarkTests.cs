using Streaming.Core.Consumer;
using Streaming.Core.Leases;

namespace Streaming.Core.Tests.Consumer;

/// <summary>The checkpoint may only pass what is durable: the oldest pinned buffer holds it back.</summary>
public sealed class CheckpointWatermarkTests
{
    [Fact]
    public void With_nothing_pinned_the_safe_checkpoint_is_the_last_complete_record()
    {
        var watermark = new CheckpointWatermark(ShardPosition.TrimHorizon);
        Assert.Equal(ShardPosition.TrimHorizon, watermark.Safe);
        watermark.Complete(ShardPosition.At("10"));
        Assert.Equal(ShardPosition.At("10"), watermark.Safe);
    }

    [Fact]
    public void The_oldest_pin_holds_the_checkpoint_back_until_it_is_unpinned_whatever_the_order()
    {
        var watermark = new CheckpointWatermark(ShardPosition.TrimHorizon);
        watermark.PinRange(0, 1);                      // buffer 0 opened by record 10
        watermark.Complete(ShardPosition.At("10"));
        watermark.PinRange(1, 3);                      // buffers 1 and 2 opened by record 11
        watermark.Complete(ShardPosition.At("11"));
        watermark.Complete(ShardPosition.At("12", 3)); // record 12 opened nothing
        Assert.Equal(ShardPosition.TrimHorizon, watermark.Safe);

        watermark.Unpin(1);
        Assert.Equal(ShardPosition.TrimHorizon, watermark.Safe);
        watermark.Unpin(0);
        Assert.Equal(ShardPosition.At("10"), watermark.Safe);
        watermark.Unpin(2);
        Assert.Equal(ShardPosition.At("12", 3), watermark.Safe);
    }

    [Fact]
    public void Pinning_an_id_twice_keeps_its_first_position()
    {
        var watermark = new CheckpointWatermark(ShardPosition.At("5"));
        watermark.Pin(7);
        watermark.Complete(ShardPosition.At("6"));
        watermark.Pin(7);
        Assert.Equal(ShardPosition.At("5"), watermark.Safe);
        Assert.Equal(1, watermark.Pinned);
    }

    [Fact]
    public void Any_order_of_unpinning_never_offers_a_position_past_an_open_buffer()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var watermark = new CheckpointWatermark(ShardPosition.At("0"));
            var open = new Dictionary<long, long>();
            long nextId = 0;
            for (var record = 1; record <= 30; record++)
            {
                var opened = random.Next(3);
                foreach (var id in Enumerable.Range(0, opened).Select(_ => nextId++))
                {
                    watermark.Pin(id);
                    open[id] = record - 1;
                }

                watermark.Complete(ShardPosition.At(record.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                if (open.Count > 0 && random.Next(2) == 0)
                {
                    var victim = open.Keys.ElementAt(random.Next(open.Count));
                    open.Remove(victim);
                    watermark.Unpin(victim);
                }

                var expected = open.Count == 0 ? record : open.Values.Min();
                Assert.Equal(ShardPosition.At(expected.ToString(System.Globalization.CultureInfo.InvariantCulture)), watermark.Safe);
            }
        }
    }
}
