using Microsoft.Extensions.Time.Testing;
using Streaming.Core.Leases;

namespace Streaming.Core.Tests.Leases;

public sealed class LeaseBalancerTests
{
    private static Lease L(string shard, string? owner, long counter = 1, string[]? parents = null, bool finished = false) =>
        new(shard, owner, counter, finished ? ShardPosition.ShardEnd : ShardPosition.TrimHorizon, parents ?? [], new Dictionary<string, string>());

    private static IReadOnlyList<string> Take(IReadOnlyList<Lease> leases, string me, Func<Lease, bool>? expired = null, int maxSteals = 1) =>
        LeaseBalancer.ChooseLeasesToTake(leases, me, expired ?? (_ => false), maxSteals).Select(l => l.ShardId).ToList();

    [Fact]
    public void A_lone_worker_takes_every_free_lease()
    {
        Assert.Equal(["s1", "s2", "s3", "s4"], Take([L("s1", null), L("s2", null), L("s3", null), L("s4", null)], "a"));
    }

    [Fact]
    public void Workers_take_only_up_to_their_share()
    {
        var leases = new[] { L("s1", "b"), L("s2", "b"), L("s3", null), L("s4", null), L("s5", null), L("s6", null) };
        // Six ready leases, two live workers: a's share is three; b takes the last free one in its own round.
        Assert.Equal(["s3", "s4", "s5"], Take(leases, "a"));
    }

    [Fact]
    public void Expired_leases_are_taken_before_any_steal_and_free_ones_before_expired_ones()
    {
        var leases = new[] { L("s1", "dead"), L("s2", "dead"), L("s3", null), L("s4", "b") };
        var taken = Take(leases, "a", l => l.Owner == "dead");
        Assert.Equal(["s3", "s1"], taken);
    }

    [Fact]
    public void Stealing_takes_from_the_most_loaded_worker_only_and_at_most_the_limit()
    {
        var leases = new[] { L("s1", "b"), L("s2", "b"), L("s3", "b"), L("s4", "b"), L("s5", "c"), L("s6", "c") };
        var taken = Take(leases, "a");
        Assert.Single(taken);
        Assert.Contains(taken[0], new[] { "s1", "s2", "s3", "s4" });
        Assert.Equal(2, Take(leases, "a", maxSteals: 5).Count);
    }

    [Fact]
    public void A_balanced_worker_steals_nothing()
    {
        Assert.Empty(Take([L("s1", "b"), L("s2", "b"), L("s3", "a"), L("s4", "a")], "a"));
        Assert.Empty(Take([L("s1", "b"), L("s2", "b"), L("s3", "a")], "a"));
        Assert.Empty(Take([L("s1", "b"), L("s2", "a"), L("s3", "c")], "a"));
    }

    [Fact]
    public void Steal_limit_zero_never_steals()
    {
        Assert.Empty(Take([L("s1", "b"), L("s2", "b"), L("s3", "b"), L("s4", "b")], "a", maxSteals: 0));
    }

    [Fact]
    public void Children_wait_for_their_parents_to_reach_shard_end()
    {
        var leases = new[] { L("parent", "b"), L("child1", null, parents: ["parent"]), L("child2", null, parents: ["parent"]) };
        Assert.Empty(Take(leases, "a"));

        var finished = new[] { L("parent", "b", finished: true), L("child1", null, parents: ["parent"]), L("child2", null, parents: ["parent"]) };
        Assert.Equal(["child1", "child2"], Take(finished, "a"));
    }

    [Fact]
    public void A_merged_child_waits_for_both_parents()
    {
        var leases = new[] { L("p1", null, finished: true), L("p2", "b"), L("child", null, parents: ["p1", "p2"]) };
        Assert.DoesNotContain("child", Take(leases, "a"));
    }

    [Fact]
    public void A_parent_whose_lease_is_gone_does_not_block_its_child()
    {
        Assert.Equal(["child"], Take([L("child", null, parents: ["trimmed-away"])], "a"));
    }

    [Fact]
    public void Finished_leases_are_neither_taken_nor_counted()
    {
        var leases = new[] { L("old1", null, finished: true), L("old2", null, finished: true), L("s1", null), L("s2", "b") };
        Assert.Equal(["s1"], Take(leases, "a"));
    }

    [Fact]
    public void Three_workers_converge_on_an_even_split()
    {
        var leases = Enumerable.Range(0, 12).Select(i => L($"s{i:D2}", "a", counter: 1)).ToList();
        var workers = new[] { "a", "b", "c" };
        for (var round = 0; round < 20; round++)
        {
            foreach (var w in workers)
            {
                foreach (var taken in Take(leases, w))
                {
                    var i = leases.FindIndex(l => l.ShardId == taken);
                    leases[i] = leases[i] with { Owner = w, Counter = leases[i].Counter + 1 };
                }
            }
        }

        Assert.All(workers, w => Assert.Equal(4, leases.Count(l => l.Owner == w)));
    }

    [Fact]
    public void Expiry_is_judged_on_the_observers_clock_by_a_counter_that_stopped()
    {
        var time = new FakeTimeProvider();
        var observer = new LeaseObserver(time);
        var lease = L("s1", "b", counter: 5);
        observer.Observe([lease]);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(observer.IsExpired(lease, TimeSpan.FromSeconds(10)));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(observer.IsExpired(lease, TimeSpan.FromSeconds(10)));

        var renewed = lease with { Counter = 6 };
        observer.Observe([renewed]);
        Assert.False(observer.IsExpired(renewed, TimeSpan.FromSeconds(10)));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(observer.IsExpired(renewed, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_lease_seen_for_the_first_time_is_not_expired_however_old_its_wall_clock_stamp()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(60));
        var observer = new LeaseObserver(time);
        var lease = L("s1", "b", counter: 1);
        observer.Observe([lease]);
        Assert.False(observer.IsExpired(lease, TimeSpan.FromSeconds(10)));
        time.Advance(TimeSpan.FromSeconds(9.9));
        observer.Observe([lease]);
        Assert.False(observer.IsExpired(lease, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Positions_order_by_big_sequence_numbers_then_sub_sequence()
    {
        var a = ShardPosition.At("49590338271490256608559692538361571095921575989136588898", 0);
        var b = ShardPosition.At("49590338271490256608559692538361571095921575989136588899", 0);
        Assert.True(ShardPosition.Compare(a, b) < 0);
        Assert.True(ShardPosition.Compare(b with { SubSequence = 0 }, b with { SubSequence = 3 }) < 0);
        Assert.Equal(b with { SubSequence = 3 }, ShardPosition.Parse((b with { SubSequence = 3 }).ToString()));
        Assert.Equal(ShardPosition.ShardEnd, ShardPosition.Parse("SHARD_END"));
    }
}
