using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Core.Configuration;
using Streaming.Core.Consumer;
using Streaming.Core.Lake;
using Streaming.Core.Leases;
using Streaming.Core.Schema;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Consumer;

/// <summary>The shard processor's step, called directly with a batch: what it writes, checkpoints and skips.</summary>
public sealed class ShardProcessorTests
{
    /// <summary>A closed shard holding the given records: one read returns them all, then the shard ends.</summary>
    private sealed class ScriptedShard(params StreamRecord[] records) : IStreamReader
    {
        public StartingPosition? StartedAt { get; private set; }

        public Task<IReadOnlyList<ShardDescription>> ListShardsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ShardDescription>>([new ShardDescription("s1", [], false)]);

        public Task<string> GetIteratorAsync(string shardId, StartingPosition start, CancellationToken cancellationToken)
        {
            StartedAt = start;
            return Task.FromResult("iterator");
        }

        public Task<RecordBatch> GetRecordsAsync(string iterator, CancellationToken cancellationToken) =>
            Task.FromResult(new RecordBatch(records, null, 0, []));
    }

    /// <summary>A lake that refuses the first few writes, as S3 does during an outage.</summary>
    private sealed class FlakyLake(ILakeStore inner, int failures) : ILakeStore
    {
        private int _failures = failures;

        public string Root => inner.Root;

        public Task<PutOutcome> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _failures) >= 0 ? throw new IOException("lake unavailable") : inner.PutIfAbsentAsync(key, content, metadata, cancellationToken);

        public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => inner.PutAsync(key, content, cancellationToken);

        public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);
    }

    private static async Task<(ShardProcessor Processor, InMemoryLeaseStore Leases, RecordingFileWriter Files)> CreateAsync(ILakeStore lake, IStreamReader stream, Lease? existing = null)
    {
        var leases = new InMemoryLeaseStore();
        await leases.CreateIfAbsentAsync(existing ?? Lease.New("s1", ShardPosition.TrimHorizon, []), CancellationToken.None);
        var taken = await leases.TakeAsync(leases["s1"], "me", CancellationToken.None);
        var held = new HeldLease(taken.Updated!, 0);
        var coordinator = new LeaseCoordinator(leases, stream, _ => Task.CompletedTask, new LeaseOptions(), new ConsumerOptions { StreamName = "s" }, "me", TimeProvider.System, NullLogger.Instance);
        var files = new RecordingFileWriter();
        var options = new ConsumerOptions { StreamName = "s", ReadInterval = TimeSpan.FromMilliseconds(200), IdleInterval = TimeSpan.FromMilliseconds(200) };
        var processor = new ShardProcessor(held, coordinator, stream, lake, files, new LakeOptions(), new SchemaRegistry(lake), options, new SemaphoreSlim(1, 1), TimeProvider.System, NullLogger.Instance);
        return (processor, leases, files);
    }

    private static StreamRecord Record(long sequence, params string[] events) =>
        new(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(string.Join("\n", events)), DateTimeOffset.UnixEpoch.AddYears(51));

    private static string Event(int i) => $$"""{"id":"{{i}}","type":"t","date":"2021-09-16T05:00:00Z"}""";

    [Fact]
    public async Task A_lake_outage_delays_the_writes_loses_nothing_and_the_shard_still_ends()
    {
        var lake = new InMemoryLakeStore();
        var stream = new ScriptedShard(Record(10, Event(1), Event(2)), Record(11, Event(3)));
        var (processor, leases, files) = await CreateAsync(new FlakyLake(lake, failures: 2), stream);
        await processor.RunAsync();
        Assert.Equal(["1", "2", "3"], files.AllRows.Select(r => r["id"]));
        Assert.Equal(ShardPosition.ShardEnd, leases["s1"].Checkpoint);
        Assert.Empty(leases["s1"].Flushed);
        Assert.Single(lake.Objects.Keys, k => k.StartsWith("t/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_resumed_shard_starts_at_its_checkpoint_record_and_skips_it()
    {
        var lake = new InMemoryLakeStore();
        var stream = new ScriptedShard(Record(11, Event(3)), Record(12, Event(4)));
        var (processor, leases, files) = await CreateAsync(lake, stream, Lease.New("s1", ShardPosition.At("11"), []));
        await processor.RunAsync();
        Assert.Equal(StartingPosition.At("11"), stream.StartedAt);
        Assert.Equal(["4"], files.AllRows.Select(r => r["id"]));
        Assert.Equal(ShardPosition.ShardEnd, leases["s1"].Checkpoint);
    }

    [Fact]
    public async Task A_replay_skips_what_an_earlier_owner_wrote_and_rebuilds_its_unfinished_run_under_the_same_name()
    {
        var lake = new InMemoryLakeStore();
        var hour = PartitionKey.For("t", new DateTimeOffset(2021, 9, 16, 5, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()).Hour;
        var flushed = new Dictionary<string, string> { [$"t/{hour}"] = "d=10/0/1;p=11/0/0..12/0/0" };
        var stream = new ScriptedShard(Record(10, Event(1), Event(2)), Record(11, Event(3)), Record(12, Event(4)), Record(13, Event(5)));
        var (processor, leases, files) = await CreateAsync(lake, stream, Lease.New("s1", ShardPosition.TrimHorizon, []) with { Flushed = flushed });
        await processor.RunAsync();
        Assert.Equal([["3", "4"], ["5"]], files.Files.Select(f => f.Rows.Select(r => r["id"]).ToArray()));
        Assert.Contains(lake.Objects.Keys, k => k.EndsWith("part-s1-11-00000-00000.jsonl", StringComparison.Ordinal));
        Assert.Equal(ShardPosition.ShardEnd, leases["s1"].Checkpoint);
    }
}
