using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Streaming.Core.Consumer;
using Streaming.Core.Leases;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Consumer;

public sealed class ShardSupervisorTests
{
    private sealed class Shards(params ShardDescription[] shards) : IStreamReader
    {
        public Task<IReadOnlyList<ShardDescription>> ListShardsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ShardDescription>>(shards);

        public Task<string> GetIteratorAsync(string shardId, StartingPosition start, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RecordBatch> GetRecordsAsync(string iterator, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static (ShardSupervisor Coordinator, InMemoryLeaseStore Store, List<ShardCheckpointer> Running) Create(FakeTimeProvider time, params ShardDescription[] shards)
    {
        var store = new InMemoryLeaseStore();
        var running = new List<ShardCheckpointer>();
        var supervisor = new ShardSupervisor(
            store,
            new Shards(shards),
            async (held, checkpointer) =>
            {
                lock (running)
                {
                    running.Add(checkpointer);
                }

                await Task.Delay(Timeout.Infinite, held.Lost.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            },
            new LeaseOptions(),
            new ConsumerOptions { StreamName = "s" },
            "me",
            time,
            NullLogger.Instance);
        return (supervisor, store, running);
    }

    [Fact]
    public async Task New_shards_get_leases_and_children_start_at_trim_horizon_whatever_the_initial_position()
    {
        var time = new FakeTimeProvider();
        var (supervisor, store, _) = Create(time, new ShardDescription("p", [], false), new ShardDescription("c", ["p"], true), new ShardDescription("root", [], true));
        await supervisor.SyncShardsAsync(CancellationToken.None);
        Assert.Equal(ShardPosition.TrimHorizon, store["c"].Checkpoint);
        Assert.Equal(["p"], store["c"].ParentShardIds);
    }

    [Fact]
    public async Task A_lease_someone_else_bumped_is_lost_and_its_processing_stopped_without_a_write()
    {
        var time = new FakeTimeProvider();
        var (supervisor, store, running) = Create(time, new ShardDescription("s1", [], true));
        await supervisor.BalanceOnceAsync(CancellationToken.None);
        await WaitFor(() => running.Count == 1);
        var checkpointer = running[0];
        Assert.Equal("me", store["s1"].Owner);

        store.Steal("s1", "thief");
        var writes = store.Writes;
        await Assert.ThrowsAsync<LeaseLostException>(() => checkpointer.WriteAsync(ShardPosition.At("5"), new Dictionary<string, string>(), CancellationToken.None));
        Assert.True(checkpointer.Lost.IsCancellationRequested);
        Assert.Equal(writes, store.Writes);
        Assert.Equal("thief", store["s1"].Owner);
    }

    [Fact]
    public async Task Progress_writes_go_through_the_holders_counter()
    {
        var time = new FakeTimeProvider();
        var (supervisor, store, running) = Create(time, new ShardDescription("s1", [], true));
        await supervisor.BalanceOnceAsync(CancellationToken.None);
        await WaitFor(() => running.Count == 1);
        await running[0].WriteAsync(ShardPosition.At("7", 2), new Dictionary<string, string> { ["t/1"] = "d=7/2/0" }, CancellationToken.None);
        Assert.Equal(ShardPosition.At("7", 2), store["s1"].Checkpoint);
        Assert.Equal(store["s1"].Counter, running[0].Current.Counter);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_only_after_its_counter_stood_still_for_the_failover_time()
    {
        var time = new FakeTimeProvider();
        var (supervisor, store, running) = Create(time, new ShardDescription("s1", [], true));
        await supervisor.SyncShardsAsync(CancellationToken.None);
        store.Steal("s1", "other");

        await supervisor.BalanceOnceAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(9));
        await supervisor.BalanceOnceAsync(CancellationToken.None);
        Assert.Equal("other", store["s1"].Owner);

        // The other worker renews: the clock starts again.
        store.Steal("s1", "other");
        time.Advance(TimeSpan.FromSeconds(9));
        await supervisor.BalanceOnceAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(9));
        await supervisor.BalanceOnceAsync(CancellationToken.None);
        Assert.Equal("other", store["s1"].Owner);

        time.Advance(TimeSpan.FromSeconds(1));
        await supervisor.BalanceOnceAsync(CancellationToken.None);
        await WaitFor(() => running.Count == 1);
        Assert.Equal("me", store["s1"].Owner);
    }

    [Fact]
    public async Task A_worker_with_nothing_steals_one_lease_per_round_from_a_worker_holding_everything()
    {
        var time = new FakeTimeProvider();
        var (supervisor, store, running) = Create(time, new ShardDescription("s1", [], true), new ShardDescription("s2", [], true), new ShardDescription("s3", [], true), new ShardDescription("s4", [], true));
        await supervisor.SyncShardsAsync(CancellationToken.None);
        foreach (var s in new[] { "s1", "s2", "s3", "s4" })
        {
            store.Steal(s, "other");
        }

        await supervisor.BalanceOnceAsync(CancellationToken.None);
        await WaitFor(() => running.Count == 1);
        await supervisor.BalanceOnceAsync(CancellationToken.None);
        await WaitFor(() => running.Count == 2);
        await supervisor.BalanceOnceAsync(CancellationToken.None);
        Assert.Equal(2, running.Count);
        Assert.Equal(2, new[] { "s1", "s2", "s3", "s4" }.Count(s => store[s].Owner == "me"));
    }

    [Fact]
    public async Task Balancing_through_an_unavailable_table_throws_the_domain_error()
    {
        var time = new FakeTimeProvider();
        var (supervisor, store, _) = Create(time, new ShardDescription("s1", [], true));
        store.Unavailable = true;
        await Assert.ThrowsAsync<LeaseStoreUnavailableException>(() => supervisor.BalanceOnceAsync(CancellationToken.None));
    }

    /// <summary>A stream whose shard listing fails (Kinesis throttles or does not answer) after the first one.</summary>
    private sealed class FlakyListing(params ShardDescription[] shards) : IStreamReader
    {
        public int Listings;

        public Task<IReadOnlyList<ShardDescription>> ListShardsAsync(CancellationToken cancellationToken) =>
            Interlocked.Increment(ref Listings) == 1
                ? Task.FromResult<IReadOnlyList<ShardDescription>>(shards)
                : Task.FromException<IReadOnlyList<ShardDescription>>(new StreamThrottledException("Kinesis ListShards failed: RequestTimeout"));

        public Task<string> GetIteratorAsync(string shardId, StartingPosition start, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RecordBatch> GetRecordsAsync(string iterator, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Fact]
    public async Task A_failing_shard_listing_is_not_blamed_on_the_lease_table_and_the_worker_stays_ready_holding_its_leases()
    {
        var store = new InMemoryLeaseStore();
        var stream = new FlakyListing(new ShardDescription("s1", [], true));
        var logger = new Support.RecordingLogger();
        var supervisor = new ShardSupervisor(
            store,
            stream,
            (held, _) => Task.Delay(Timeout.Infinite, held.Stop.Token).ContinueWith(_ => { }, TaskScheduler.Default),
            new LeaseOptions { TakeInterval = TimeSpan.FromMilliseconds(10), ShardSyncInterval = TimeSpan.FromMilliseconds(10) },
            new ConsumerOptions { StreamName = "s" },
            "me",
            TimeProvider.System,
            logger);
        using var stop = new CancellationTokenSource();
        var running = supervisor.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((Volatile.Read(ref stream.Listings) < 3 || store["s1"].Owner != "me") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(stream.Listings >= 3, $"{stream.Listings} listings");
        Assert.True(supervisor.IsReady);
        Assert.Equal("me", store["s1"].Owner);
        Assert.Contains(logger.Messages, m => m.StartsWith("Listing the stream's shards failed", StringComparison.Ordinal) && m.Contains("ListShards", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Messages, m => m.Contains("lease table", StringComparison.Ordinal));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_permanent_failure_in_one_shard_stops_the_worker_after_the_others_stop_and_every_lease_is_released()
    {
        var store = new InMemoryLeaseStore();
        var stopped = new List<string>();
        var supervisor = new ShardSupervisor(
            store,
            new Shards(new ShardDescription("s1", [], true), new ShardDescription("s2", [], true)),
            async (held, _) =>
            {
                if (held.ShardId == "s1")
                {
                    await Task.Delay(50);
                    throw new UnauthorizedAccessException("the lake refused a write");
                }

                await Task.Delay(Timeout.Infinite, held.Stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                lock (stopped)
                {
                    stopped.Add(held.ShardId);
                }
            },
            new LeaseOptions { TakeInterval = TimeSpan.FromMilliseconds(20) },
            new ConsumerOptions { StreamName = "s" },
            "me",
            TimeProvider.System,
            NullLogger.Instance);

        var failure = await Assert.ThrowsAsync<Streaming.Core.Failures.WorkerFailedException>(() => supervisor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("the lake refused a write", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["s2"], stopped);
        Assert.Null(store["s1"].Owner);
        Assert.Null(store["s2"].Owner);
        Assert.False(supervisor.IsReady);
    }

    [Fact]
    public async Task Running_out_of_memory_stops_the_worker_and_logs_what_the_collector_last_saw()
    {
        var store = new InMemoryLeaseStore();
        var logger = new Support.RecordingLogger();
        var supervisor = new ShardSupervisor(
            store,
            new Shards(new ShardDescription("s1", [], true)),
            async (_, _) =>
            {
                await Task.Yield();
                throw new OutOfMemoryException("Insufficient memory to continue the execution of the program.");
            },
            new LeaseOptions { TakeInterval = TimeSpan.FromMilliseconds(20) },
            new ConsumerOptions { StreamName = "s" },
            "me",
            TimeProvider.System,
            logger);

        var failure = await Assert.ThrowsAsync<Streaming.Core.Failures.WorkerFailedException>(() => supervisor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("OutOfMemoryException", failure.Message, StringComparison.Ordinal);
        var picture = Assert.Single(logger.Messages, m => m.StartsWith("Out of memory: the heap after the last collection held ", StringComparison.Ordinal));
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        Assert.Contains($"of a {limit} MiB limit", picture, StringComparison.Ordinal);
        Assert.Matches(@"gen0 \d+, gen1 \d+, gen2 \d+, large objects \d+, pinned \d+ MiB$", picture);
        Assert.Null(store["s1"].Owner);
    }

    [Fact]
    public async Task A_lease_released_while_its_renewal_waited_is_not_renewed_and_nothing_fails()
    {
        var store = new InMemoryLeaseStore();
        await store.CreateIfAbsentAsync(Lease.New("s1", ShardPosition.TrimHorizon, []), CancellationToken.None);
        var taken = await store.TakeAsync(store["s1"], "me", CancellationToken.None);
        var held = new HeldLease(taken.Updated!, 0);
        var renewer = new LeaseRenewer(store, new LeaseOptions(), "me", TimeProvider.System, NullLogger.Instance, () => [held]);

        await renewer.RenewAllAsync(CancellationToken.None);
        var writes = store.Writes;
        Assert.False(held.Lost.IsCancellationRequested);

        // The supervisor releases (owner cleared) while the renewer already has the lease in its list.
        var released = await store.ReleaseAsync(held.Current, CancellationToken.None);
        held.Current = released.Updated!;
        held.Released = true;
        await renewer.RenewAllAsync(CancellationToken.None);
        Assert.Equal(writes + 1, store.Writes);
        Assert.False(held.Lost.IsCancellationRequested, "a released lease is not lost");
        Assert.Null(store["s1"].Owner);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
