using Streaming.Aws.Leases;
using Streaming.Core.Leases;

namespace Streaming.Aws.Tests.Leases;

[Collection(DynamoDbEmulatorCollection.Name)]
public sealed class LeaseConditionalWriteTests
{
    private static readonly ShardPosition Position = ShardPosition.At("49590338271490256608559692538361571095921575989136588898", 4);

    private readonly DynamoDbEmulatorFixture _fixture;
    private readonly DynamoDbLeaseStore _store;

    public LeaseConditionalWriteTests(DynamoDbEmulatorFixture fixture)
    {
        _fixture = fixture;
        _store = fixture.Store;
    }

    private static Dictionary<string, string> Flushed(params (string Key, string Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private async Task<Lease> NewLeaseAsync(params string[] parents)
    {
        var lease = DynamoDbEmulatorFixture.Sample(DynamoDbEmulatorFixture.UniqueShardId(), parents);
        Assert.True(await _store.CreateIfAbsentAsync(lease, CancellationToken.None));
        return lease;
    }

    private async Task<Lease> OwnedLeaseAsync(string owner)
    {
        var taken = await _store.TakeAsync(await NewLeaseAsync(), owner, CancellationToken.None);
        return Assert.IsType<Lease>(taken.Updated);
    }

    private async Task<Lease> StoredAsync(string shardId) => Assert.IsType<Lease>(await _store.GetAsync(shardId, CancellationToken.None));

    [Fact]
    public async Task Take_makes_the_caller_owner_bumps_the_counter_and_keeps_everything_else()
    {
        var lease = await NewLeaseAsync("shardId-000000000001");

        var write = await _store.TakeAsync(lease, "worker-a", CancellationToken.None);

        Assert.True(write.Succeeded);
        var expected = lease with { Owner = "worker-a", Counter = 1 };
        Assert.Equal((expected.ShardId, expected.Owner, expected.Counter, expected.Checkpoint), (write.Updated!.ShardId, write.Updated.Owner, write.Updated.Counter, write.Updated.Checkpoint));
        Assert.Equal(["shardId-000000000001"], write.Updated.ParentShardIds);
        var stored = await StoredAsync(lease.ShardId);
        Assert.Equal(("worker-a", 1L), (stored.Owner, stored.Counter));
        Assert.Equal(["shardId-000000000001"], stored.ParentShardIds);
    }

    [Fact]
    public async Task Take_of_an_owned_lease_at_the_current_counter_steals_it()
    {
        var owned = await OwnedLeaseAsync("worker-a");

        var stolen = await _store.TakeAsync(owned, "worker-b", CancellationToken.None);

        Assert.Equal(("worker-b", 2L), (stolen.Updated?.Owner, stolen.Updated?.Counter));
        Assert.False((await _store.RenewAsync(owned, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Take_at_a_stale_counter_is_lost_and_changes_nothing()
    {
        var lease = await NewLeaseAsync();
        var renewed = await _store.RenewAsync(Assert.IsType<Lease>((await _store.TakeAsync(lease, "worker-a", CancellationToken.None)).Updated), CancellationToken.None);

        var write = await _store.TakeAsync(lease with { Counter = 1 }, "worker-b", CancellationToken.None);

        Assert.Equal(LeaseWrite.Lost, write);
        Assert.False(write.Succeeded);
        var stored = await StoredAsync(lease.ShardId);
        Assert.Equal(("worker-a", 2L), (stored.Owner, stored.Counter));
        Assert.Equal(renewed.Updated!.Counter, stored.Counter);
    }

    [Fact]
    public async Task Take_of_a_lease_that_does_not_exist_is_lost_and_creates_nothing()
    {
        var ghost = DynamoDbEmulatorFixture.Sample(DynamoDbEmulatorFixture.UniqueShardId());

        Assert.False((await _store.TakeAsync(ghost, "worker-a", CancellationToken.None)).Succeeded);
        Assert.Null(await _store.GetAsync(ghost.ShardId, CancellationToken.None));
    }

    [Fact]
    public async Task Renew_bumps_the_counter_each_time_and_a_stale_renew_is_lost()
    {
        var owned = await OwnedLeaseAsync("worker-a");

        var first = await _store.RenewAsync(owned, CancellationToken.None);
        var second = await _store.RenewAsync(first.Updated!, CancellationToken.None);
        var stale = await _store.RenewAsync(first.Updated!, CancellationToken.None);

        Assert.Equal(2, first.Updated!.Counter);
        Assert.Equal(3, second.Updated!.Counter);
        Assert.Equal("worker-a", second.Updated.Owner);
        Assert.False(stale.Succeeded);
        Assert.Equal(3, (await StoredAsync(owned.ShardId)).Counter);
    }

    [Fact]
    public async Task Renew_checkpoint_and_release_by_someone_who_is_not_the_owner_are_lost()
    {
        var owned = await OwnedLeaseAsync("worker-a");
        var impostor = owned with { Owner = "worker-b" };

        Assert.False((await _store.RenewAsync(impostor, CancellationToken.None)).Succeeded);
        Assert.False((await _store.CheckpointAsync(impostor, Position, Flushed(), CancellationToken.None)).Succeeded);
        Assert.False((await _store.ReleaseAsync(impostor, CancellationToken.None)).Succeeded);

        var stored = await StoredAsync(owned.ShardId);
        Assert.Equal(("worker-a", 1L, ShardPosition.TrimHorizon), (stored.Owner, stored.Counter, stored.Checkpoint));
    }

    [Fact]
    public async Task Checkpoint_stores_position_and_flushed_map_and_bumps_the_counter()
    {
        var owned = await OwnedLeaseAsync("worker-a");
        var flushed = Flushed(("user_registration/2021-09-16T05", "49590338271490256608559692538361571095921575989136588899/2"), ("payment_made/2021-09-16T05", "49590338271490256608559692538361571095921575989136588999"));

        var write = await _store.CheckpointAsync(owned, Position, flushed, CancellationToken.None);

        Assert.Equal(2, write.Updated!.Counter);
        Assert.Equal(Position, write.Updated.Checkpoint);
        Assert.Equal(flushed.OrderBy(e => e.Key), write.Updated.Flushed.OrderBy(e => e.Key));
        var stored = await StoredAsync(owned.ShardId);
        Assert.Equal(("worker-a", 2L, Position), (stored.Owner, stored.Counter, stored.Checkpoint));
        Assert.Equal(flushed.OrderBy(e => e.Key), stored.Flushed.OrderBy(e => e.Key));

        // A later checkpoint replaces the whole map, down to empty.
        var end = await _store.CheckpointAsync(write.Updated, ShardPosition.ShardEnd, Flushed(), CancellationToken.None);
        Assert.Empty(end.Updated!.Flushed);
        Assert.True((await StoredAsync(owned.ShardId)).IsFinished);
        Assert.False((await _store.CheckpointAsync(write.Updated, Position, flushed, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Release_clears_the_owner_bumps_the_counter_and_the_lease_can_be_taken_again()
    {
        var owned = await OwnedLeaseAsync("worker-a");

        var released = await _store.ReleaseAsync(owned, CancellationToken.None);

        Assert.Equal((null, 2L), (released.Updated?.Owner, released.Updated?.Counter));
        Assert.Equal((null, 2L), ((await StoredAsync(owned.ShardId)).Owner, (await StoredAsync(owned.ShardId)).Counter));
        Assert.False((await _store.ReleaseAsync(owned, CancellationToken.None)).Succeeded);
        Assert.Equal("worker-b", (await _store.TakeAsync(released.Updated!, "worker-b", CancellationToken.None)).Updated?.Owner);
    }

    [Fact]
    public async Task Writes_that_need_an_owner_refuse_a_lease_without_one()
    {
        var free = await NewLeaseAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => _store.RenewAsync(free, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.CheckpointAsync(free, Position, Flushed(), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.ReleaseAsync(free, CancellationToken.None));
    }

    [Fact]
    public async Task Two_workers_taking_the_same_lease_at_the_same_counter_never_both_win()
    {
        using var otherClient = DynamoDbEmulatorFixture.CreateClient(_fixture.Options(_store.TableName));
        using var other = new DynamoDbLeaseStore(otherClient, _fixture.Options(_store.TableName));
        var lease = await NewLeaseAsync();

        for (var round = 0; round < 8; round++)
        {
            var current = await StoredAsync(lease.ShardId);
            using var start = new ManualResetEventSlim();
            var a = Task.Run(() => { start.Wait(); return _store.TakeAsync(current, "worker-a", CancellationToken.None); });
            var b = Task.Run(() => { start.Wait(); return other.TakeAsync(current, "worker-b", CancellationToken.None); });
            start.Set();
            var results = await Task.WhenAll(a, b);

            var winner = Assert.Single(results, r => r.Succeeded).Updated!;
            Assert.Equal(current.Counter + 1, winner.Counter);
            var stored = await StoredAsync(lease.ShardId);
            Assert.Equal((winner.Owner, winner.Counter), (stored.Owner, stored.Counter));
        }
    }
}
