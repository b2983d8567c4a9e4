using Streaming.Core.Consumer;
using Streaming.Core.Lake;

namespace Streaming.Core.Tests.Consumer;

public sealed class ShardProgressTests
{
    private static SourcePosition At(long sequence, long sub = 0, long index = 0) => SourcePosition.InShard("shard-1", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), sub, index);

    private static EventPosition E(long sequence, long sub = 0, long index = 0) => EventPosition.From(At(sequence, sub, index));

    [Fact]
    public void Events_already_written_are_skipped_and_later_ones_appended()
    {
        var progress = new ShardProgress();
        progress.BeginFile("t/1", E(100), E(200, 0, 3));
        progress.EndFile("t/1", E(200, 0, 3));
        Assert.Equal(ReplayAction.Skip, progress.Decide("t/1", At(150)));
        Assert.Equal(ReplayAction.Skip, progress.Decide("t/1", At(200, 0, 3)));
        Assert.Equal(ReplayAction.Append, progress.Decide("t/1", At(200, 0, 4)));
        Assert.Equal(ReplayAction.Append, progress.Decide("t/2", At(150)));
    }

    [Fact]
    public void A_pending_run_is_rebuilt_and_cut_exactly_at_its_end()
    {
        var progress = new ShardProgress();
        progress.BeginFile("t/1", E(300), E(400, 2, 1));
        Assert.Equal(ReplayAction.AppendAndHold, progress.Decide("t/1", At(300)));
        Assert.Equal(ReplayAction.AppendAndHold, progress.Decide("t/1", At(400, 2, 0)));
        Assert.Equal(ReplayAction.AppendAndCut, progress.Decide("t/1", At(400, 2, 1)));
        Assert.Equal(ReplayAction.Append, progress.Decide("t/1", At(400, 2, 2)));
    }

    [Fact]
    public void Progress_survives_the_lease_item_round_trip_and_pruning_forgets_what_the_checkpoint_covers()
    {
        var progress = new ShardProgress();
        progress.BeginFile("a/1", E(10), E(20));
        progress.EndFile("a/1", E(20));
        progress.BeginFile("b/1", E(15), E(30, 1, 2));
        progress.EndFile("c/1", E(40));
        var parsed = ShardProgress.Parse(progress.Encode());
        Assert.Equal(progress.Encode(), parsed.Encode());
        Assert.Equal(ReplayAction.Skip, parsed.Decide("a/1", At(20)));
        Assert.Equal(ReplayAction.AppendAndCut, parsed.Decide("b/1", At(30, 1, 2)));

        parsed.Prune(new EventPosition(25, 0, long.MaxValue));
        Assert.False(parsed.Encode().ContainsKey("a/1"));
        Assert.True(parsed.Encode().ContainsKey("c/1"));
        Assert.True(parsed.Encode().ContainsKey("b/1"));
    }

    [Fact]
    public void Garbage_in_the_lease_item_is_an_error_not_a_silent_replay()
    {
        Assert.Throws<FormatException>(() => ShardProgress.Parse(new Dictionary<string, string> { ["t/1"] = "x=1" }));
    }

    [Fact]
    public void Positions_compare_by_sequence_number_as_a_number()
    {
        Assert.True(E(9) < E(10));
        Assert.True(EventPosition.Parse("49590338271490256608559692538361571095921575989136588898/0/1") < EventPosition.Parse("49590338271490256608559692538361571095921575989136588899/0/0"));
    }
}
