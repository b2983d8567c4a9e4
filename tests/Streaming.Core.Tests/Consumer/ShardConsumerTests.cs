using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Streaming.Core.Configuration;
using Streaming.Core.Consumer;
using Streaming.Core.Lake;
using Streaming.Core.Leases;
using Streaming.Core.Schema;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Consumer;

/// <summary>
/// The shard consumer on a fake clock, with a scripted shard: what it writes, checkpoints and skips through
/// iterator expiry, throttling, a vanished shard, LATEST and AT_TIMESTAMP starts, a lease lost mid-round and
/// a backlog whose hours close on event time.
/// </summary>
public sealed class ShardConsumerTests
{
    private static readonly DateTimeOffset Arrival = new(2024, 5, 6, 7, 0, 0, TimeSpan.Zero);

    /// <summary>A shard answering from a script: each GetRecords takes the next step (a batch or an error); past the script the shard is closed.</summary>
    private sealed class ScriptedShard : IStreamReader
    {
        private readonly Queue<object> _steps;

        public ScriptedShard(params object[] steps)
        {
            _steps = new Queue<object>(steps);
        }

        public List<StartingPosition> Starts { get; } = [];

        public Exception? IteratorError { get; set; }

        public int Reads { get; private set; }

        public Task<IReadOnlyList<ShardDescription>> ListShardsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ShardDescription>>([new ShardDescription("s1", [], false)]);

        public Task<string> GetIteratorAsync(string shardId, StartingPosition start, CancellationToken cancellationToken)
        {
            Starts.Add(start);
            return IteratorError is { } e ? Task.FromException<string>(e) : Task.FromResult("iterator");
        }

        public Task<RecordBatch> GetRecordsAsync(string iterator, CancellationToken cancellationToken)
        {
            Reads++;
            if (!_steps.TryDequeue(out var step))
            {
                return Task.FromResult(new RecordBatch([], null, 0, []));
            }

            return step switch
            {
                Exception e => Task.FromException<RecordBatch>(e),
                Batch batch => Task.FromResult(new RecordBatch(batch.Records, "iterator", 0, [])),
                _ => throw new InvalidOperationException(),
            };
        }
    }

    /// <summary>A lake that refuses the first few data files, as S3 does during an outage, or calls back on each data file.</summary>
    private sealed class ScriptedLake(ILakeStore inner, int failures = 0, Action<string>? onData = null) : ILakeStore
    {
        private int _failures = failures;

        public string Root => inner.Root;

        public Task<PutOutcome> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
        {
            if (!key.StartsWith('_'))
            {
                onData?.Invoke(key);
                if (Interlocked.Decrement(ref _failures) >= 0)
                {
                    throw new IOException("lake unavailable");
                }
            }

            return inner.PutIfAbsentAsync(key, content, metadata, cancellationToken);
        }

        public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => inner.PutAsync(key, content, cancellationToken);

        public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);
    }

    /// <summary>One GetRecords answer of a script.</summary>
    private sealed record Batch(params StreamRecord[] Records);

    private sealed record Setup(ShardConsumer Consumer, InMemoryLeaseStore Leases, RecordingFileWriter Files, FakeTimeProvider Time, MemoryAccount Memory);

    private static async Task<Setup> CreateAsync(ILakeStore lake, IStreamReader stream, Lease? existing = null, ConsumerOptions? options = null, LakeOptions? lakeOptions = null)
    {
        var leases = new InMemoryLeaseStore();
        await leases.CreateIfAbsentAsync(existing ?? Lease.New("s1", ShardPosition.TrimHorizon, []), CancellationToken.None);
        var taken = await leases.TakeAsync(leases["s1"], "me", CancellationToken.None);
        var time = new FakeTimeProvider(Arrival);
        var held = new HeldLease(taken.Updated!, time.GetTimestamp());
        var checkpointer = new ShardCheckpointer(leases, held, "me", time, NullLogger.Instance);
        var files = new RecordingFileWriter();
        options ??= new ConsumerOptions { StreamName = "s", ReadInterval = TimeSpan.Zero, IdleInterval = TimeSpan.Zero };
        var schemas = new SchemaRegistry(lake);
        var memory = new MemoryAccount();
        var router = new LakeRouter((lakeOptions ?? new LakeOptions()).WithStreamDefaults(options.MaxBufferAge, options.HourCloseGrace), schemas, time, memory: memory);
        var publisher = new LakePublisher(lake, files, schemas, time, memory: memory);
        var consumer = new ShardConsumer(checkpointer, stream, router, publisher, options, time, NullLogger.Instance, held.Stop.Token);
        return new Setup(consumer, leases, files, time, memory);
    }

    /// <summary>Runs the consumer to its end, moving the fake clock along so that retry backoffs pass.</summary>
    private static async Task RunAsync(Setup setup)
    {
        var running = setup.Consumer.RunAsync();
        while (!running.IsCompleted)
        {
            setup.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(running, Task.Delay(5));
        }

        await running;
    }

    private static StreamRecord Record(long sequence, params string[] events) =>
        new(sequence.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(string.Join("\n", events)), Arrival);

    private static string Event(int i, int hour = 5, string type = "t") => $$"""{"id":"{{i}}","type":"{{type}}","date":"2021-09-16T{{hour:D2}}:00:00Z"}""";

    [Fact]
    public async Task A_lake_outage_delays_the_writes_loses_nothing_and_the_shard_still_ends()
    {
        var lake = new InMemoryLakeStore();
        var stream = new ScriptedShard(new Batch(Record(10, Event(1), Event(2)), Record(11, Event(3))));
        var setup = await CreateAsync(new ScriptedLake(lake, failures: 2), stream);
        await RunAsync(setup);
        Assert.Equal(["1", "2", "3"], lake.Objects.Where(kv => kv.Key.StartsWith("t/", StringComparison.Ordinal)).SelectMany(kv => Ids(kv.Value)));
        Assert.Equal(ShardPosition.ShardEnd, setup.Leases["s1"].Checkpoint);
        Assert.Empty(setup.Leases["s1"].Flushed);
        Assert.Equal(ShardConsumerState.Stopped, setup.Consumer.State);
        Assert.Equal(0, setup.Memory.Bytes);
    }

    [Fact]
    public async Task A_GetRecords_answer_is_counted_while_its_records_are_routed_apart_from_what_writing_can_free()
    {
        // Records of 4 KiB: with 1 KiB files every record makes its buffer due, and its round runs while the
        // rest of the answer is still being routed.
        var records = Enumerable.Range(0, 5).Select(i => Record(10 + i, Event(i) + new string(' ', 4096))).ToArray();
        var stream = new ScriptedShard(new Batch(records));
        var setup = await CreateAsync(new InMemoryLakeStore(), stream, lakeOptions: new LakeOptions { TargetFileSize = new ByteSize(1024) });
        var duringEncode = new List<(long Counted, long Buffer)>();
        var reading = new List<long>();
        setup.Files.OnWrite = buffer =>
        {
            duringEncode.Add((setup.Memory.Bytes, buffer.AllocatedBytes));
            reading.Add(setup.Memory.ReadingBytes);
        };
        await RunAsync(setup);

        var answer = ShardConsumer.BatchBytes(new RecordBatch(records, "next", 0, []), out var data);
        Assert.Equal(5 * (Event(0).Length + 4096), data);
        Assert.Equal(5 * (Event(0).Length + 4096 + (2 * sizeof(char)) + ShardConsumer.RecordOverheadBytes), answer);
        // The answer, the buffer being written and its encode reservation: nothing else is open at that moment.
        Assert.Equal(5, duringEncode.Count);
        Assert.Equal(duringEncode.Select(e => answer + (2 * e.Buffer)), duringEncode.Select(e => e.Counted));
        // Counted apart, so that writing buffers early is not asked to free what only the end of routing frees.
        Assert.Equal(Enumerable.Repeat(answer, 5), reading);
        Assert.Equal(0, setup.Memory.Bytes);
        Assert.Equal(0, setup.Memory.ReadingBytes);
    }

    [Fact]
    public async Task A_resumed_shard_starts_at_its_checkpoint_record_and_skips_it()
    {
        var stream = new ScriptedShard(new Batch(Record(11, Event(3)), Record(12, Event(4))));
        var setup = await CreateAsync(new InMemoryLakeStore(), stream, Lease.New("s1", ShardPosition.At("11"), []));
        await RunAsync(setup);
        Assert.Equal([StartingPosition.At("11")], stream.Starts);
        Assert.Equal(["4"], setup.Files.AllRows.Select(r => r["id"]));
        Assert.Equal(ShardPosition.ShardEnd, setup.Leases["s1"].Checkpoint);
    }

    [Fact]
    public async Task A_replay_skips_what_an_earlier_owner_wrote_and_rebuilds_its_unfinished_run_under_the_same_name()
    {
        var lake = new InMemoryLakeStore();
        var hour = PartitionKey.For("t", new DateTimeOffset(2021, 9, 16, 5, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()).Hour;
        var flushed = new Dictionary<string, string> { [$"t/{hour}"] = "d=10/0/1;p=11/0/0..12/0/0" };
        var stream = new ScriptedShard(new Batch(Record(10, Event(1), Event(2)), Record(11, Event(3)), Record(12, Event(4)), Record(13, Event(5))));
        var setup = await CreateAsync(lake, stream, Lease.New("s1", ShardPosition.TrimHorizon, []) with { Flushed = flushed });
        await RunAsync(setup);
        Assert.Equal([["3", "4"], ["5"]], setup.Files.Files.Select(f => f.Rows.Select(r => r["id"]).ToArray()));
        Assert.Contains(lake.Objects.Keys, k => k.EndsWith("part-s1-11-00000-00000.jsonl", StringComparison.Ordinal));
        Assert.Equal(ShardPosition.ShardEnd, setup.Leases["s1"].Checkpoint);
    }

    [Fact]
    public async Task An_expired_iterator_resumes_after_the_last_routed_record_and_nothing_is_read_twice()
    {
        var stream = new ScriptedShard(
            new Batch(Record(10, Event(1)), Record(11, Event(2))),
            new IteratorExpiredException("s1"),
            new Batch(Record(11, Event(2)), Record(12, Event(3))));
        var setup = await CreateAsync(new InMemoryLakeStore(), stream);
        await RunAsync(setup);
        Assert.Equal([StartingPosition.TrimHorizon, StartingPosition.At("11")], stream.Starts);
        Assert.Equal(["1", "2", "3"], setup.Files.AllRows.Select(r => (string)r["id"]!).Order(StringComparer.Ordinal));
        Assert.Equal(ShardPosition.ShardEnd, setup.Leases["s1"].Checkpoint);
    }

    [Fact]
    public async Task Throttled_reads_back_off_on_the_clock_and_then_read_everything()
    {
        var options = new ConsumerOptions { StreamName = "s", ReadInterval = TimeSpan.FromMilliseconds(200), IdleInterval = TimeSpan.FromMilliseconds(200) };
        var stream = new ScriptedShard(new StreamThrottledException("slow down"), new StreamThrottledException("slow down"), new Batch(Record(10, Event(1))));
        var setup = await CreateAsync(new InMemoryLakeStore(), stream, options: options);
        var started = setup.Time.GetUtcNow();
        await RunAsync(setup);
        Assert.Equal(["1"], setup.Files.AllRows.Select(r => r["id"]));
        Assert.True(stream.Reads >= 4, $"{stream.Reads} reads");
        Assert.True(setup.Time.GetUtcNow() - started >= TimeSpan.FromMilliseconds(200), "no back-off happened on the clock");
    }

    [Fact]
    public async Task A_vanished_shard_is_finished_without_reading()
    {
        var stream = new ScriptedShard { IteratorError = new ShardGoneException("s1") };
        var setup = await CreateAsync(new InMemoryLakeStore(), stream);
        await RunAsync(setup);
        Assert.Equal(0, stream.Reads);
        Assert.Equal(ShardPosition.ShardEnd, setup.Leases["s1"].Checkpoint);
        Assert.Empty(setup.Files.Files);
    }

    [Fact]
    public async Task A_latest_start_pins_the_first_record_it_read_before_writing_anything()
    {
        var stream = new ScriptedShard(new Batch(Record(40, Event(1))));
        var setup = await CreateAsync(new InMemoryLakeStore(), stream, Lease.New("s1", ShardPosition.Latest, []));
        await setup.Consumer.ProcessBatchAsync(new RecordBatch([Record(40, Event(1))], "i", 0, []), CancellationToken.None);
        Assert.Equal(ShardPosition.Before("40"), setup.Leases["s1"].Checkpoint);
        Assert.Empty(setup.Files.Files);
    }

    [Fact]
    public async Task Latest_and_at_timestamp_starts_ask_the_stream_for_them()
    {
        var at = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var latest = new ScriptedShard();
        await RunAsync(await CreateAsync(new InMemoryLakeStore(), latest, Lease.New("s1", ShardPosition.Latest, [])));
        Assert.Equal([StartingPosition.Latest], latest.Starts);

        var timed = new ScriptedShard(new Batch(Record(7, Event(1))));
        var options = new ConsumerOptions { StreamName = "s", InitialTimestamp = at, ReadInterval = TimeSpan.Zero, IdleInterval = TimeSpan.Zero };
        var setup = await CreateAsync(new InMemoryLakeStore(), timed, Lease.New("s1", ShardPosition.AtTimestamp, []), options);
        await RunAsync(setup);
        Assert.Equal([StartingPosition.AtTime(at)], timed.Starts);
        Assert.Equal(["1"], setup.Files.AllRows.Select(r => r["id"]));
    }

    [Fact]
    public async Task A_lease_lost_during_an_upload_stops_the_round_without_confirming_and_gives_back_its_memory()
    {
        var lake = new InMemoryLakeStore();
        InMemoryLeaseStore? leases = null;
        var stream = new ScriptedShard(new Batch(Record(10, Event(1), Event(2))));
        var setup = await CreateAsync(new ScriptedLake(lake, onData: _ => leases!.Steal("s1", "thief")), stream);
        leases = setup.Leases;
        await Assert.ThrowsAsync<LeaseLostException>(() => RunAsync(setup));
        Assert.Equal(ShardConsumerState.LeaseLost, setup.Consumer.State);
        var lease = setup.Leases["s1"];
        Assert.Equal("thief", lease.Owner);
        Assert.Equal(ShardPosition.Before("10"), lease.Checkpoint);

        // The intent is in the lease: the next owner rebuilds the same run under the same name.
        var run = Assert.Single(lease.Flushed);
        Assert.StartsWith("p=10/0/0..10/0/1", run.Value, StringComparison.Ordinal);
        Assert.Equal(0, setup.Memory.Bytes);
    }

    [Fact]
    public async Task A_backlog_closes_its_hours_on_event_time_one_file_per_table_and_hour_with_two_lease_writes_per_round()
    {
        // Hours of events read in one go, long after they happened: the wall clock says every hour is closed,
        // but only the event-time watermark decides, so each (table, hour) becomes one file.
        var lakeOptions = new LakeOptions { MaxBufferAge = TimeSpan.FromHours(1) };
        var setup = await CreateAsync(new InMemoryLakeStore(), new ScriptedShard(), lakeOptions: lakeOptions);
        var sequence = 100;
        var writesPerRound = new List<int>();
        for (var hour = 0; hour < 6; hour++)
        {
            for (var minute = 0; minute < 60; minute += 5)
            {
                var events = new[] { "a", "b", "c" }.Select(type => $$"""{"id":"{{sequence}}-{{type}}","type":"{{type}}","date":"2021-09-16T{{hour:D2}}:{{minute:D2}}:00Z"}""").ToArray();
                var writes = setup.Leases.Writes;
                var rounds = setup.Consumer.Rounds;
                await setup.Consumer.ProcessBatchAsync(new RecordBatch([Record(sequence++, events)], "i", 0, []), CancellationToken.None);
                if (setup.Consumer.Rounds > rounds)
                {
                    writesPerRound.Add(setup.Leases.Writes - writes);
                }

                setup.Time.Advance(TimeSpan.FromSeconds(20));
            }
        }

        // Hours 0 to 4 closed while reading (hour 5 waits for its grace); 3 tables each, one round per hour.
        var files = setup.Files.Files.GroupBy(f => f.Key).ToList();
        Assert.Equal(15, files.Count);
        Assert.All(files, g => Assert.Single(g));
        Assert.All(files, g => Assert.Equal(12, g.Single().Rows.Count));
        Assert.NotEmpty(writesPerRound);
        Assert.All(writesPerRound, w => Assert.Equal(2, w));
    }

    [Fact]
    public async Task An_aggregated_record_over_many_partitions_is_written_as_it_is_routed_within_the_budget()
    {
        // One KPL aggregate of 2,000 events over 400 (table, hour) buffers, against a 1 MiB budget: each new buffer
        // takes about 10 KiB, so routing the whole aggregate before writing would hold about 4 MiB.
        var aggregator = new Streaming.Core.Decoding.Kpl.KplAggregator();
        var expected = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var json = $$$"""{"id":"{{{i}}}","type":"type_{{{i % 40}}}","date":"2021-09-16T{{{i / 40 % 10:D2}}}:00:00Z","user_id":{{{i}}},"params":{"a":{{{i}}},"b":"x{{{i}}}"}}""";
            Assert.Equal(Streaming.Core.Decoding.Kpl.KplAddResult.Added, aggregator.TryAdd(Encoding.UTF8.GetBytes(json), "key"));
            // What the lake must hold for it: its table and hour, and every column by name.
            var date = new DateTimeOffset(2021, 9, 16, i / 40 % 10, 0, 0, TimeSpan.Zero);
            expected.Add($"type_{i % 40} {PartitionKey.For($"type_{i % 40}", date.ToUnixTimeMilliseconds()).HivePath} a={i} b=x{i} date={date:O} id={i} type=type_{i % 40} user_id={i}");
        }

        var aggregate = aggregator.Flush()!;
        var budget = ByteSize.MiB(1);
        var setup = await CreateAsync(
            new InMemoryLakeStore(),
            new ScriptedShard(new Batch(new StreamRecord("100", aggregate.Data, Arrival))),
            lakeOptions: new LakeOptions { MemoryBudget = budget });
        var buffered = new List<long>();
        setup.Files.OnWrite = _ => buffered.Add(setup.Memory.WritableBytes);
        await RunAsync(setup);

        // Rounds ran while the aggregate was routed, each starting just past the budget (one event's buffer more,
        // and what the round itself has reserved for its encodes).
        Assert.True(buffered.Count > 400, $"{buffered.Count} files");
        Assert.InRange(buffered.Max(), 0, budget.Bytes * 3 / 2);
        // ... and every event is written exactly once, in its table and hour, with every value in its own column.
        var written = setup.Files.Files
            .SelectMany(f => f.Rows.Select(r => $"{f.Key.Table} {f.Key.HivePath} "
                + string.Join(' ', r.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value is DateTimeOffset d ? $"{c.Key}={d:O}" : $"{c.Key}={c.Value}"))))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), written);
        Assert.Equal(ShardPosition.ShardEnd, setup.Leases["s1"].Checkpoint);
    }

    [Fact]
    public async Task A_flood_of_partitions_keeps_the_lease_item_under_dynamodbs_limit_and_loses_nothing()
    {
        // 400 types x 30 hours in random order: far more partitions than a shard may keep open. Each file written
        // beyond the checkpoint takes an entry in the lease, and real sequence numbers are 56 digits long.
        var random = new Random(11);
        var first = System.Numerics.BigInteger.Parse("49680728399316115513830172023353794221339339255013441538", CultureInfo.InvariantCulture);
        var batches = new List<object>();
        var id = 0;
        for (var b = 0; b < 40; b++)
        {
            var records = new List<StreamRecord>();
            for (var r = 0; r < 100; r++)
            {
                var events = Enumerable.Range(0, 5).Select(_ =>
                    $$"""{"id":"{{id++}}","type":"type_{{random.Next(400)}}","date":"2021-09-{{10 + random.Next(2):D2}}T{{random.Next(15):D2}}:00:00Z"}""").ToArray();
                var sequence = (first + (b * 1000) + r).ToString(CultureInfo.InvariantCulture);
                records.Add(new StreamRecord(sequence, Encoding.UTF8.GetBytes(string.Join("\n", events)), Arrival));
            }

            batches.Add(new Batch([.. records]));
        }

        var setup = await CreateAsync(new InMemoryLakeStore(), new ScriptedShard([.. batches]), lakeOptions: new LakeOptions { MaxOpenPartitions = 50_000 });
        await RunAsync(setup);

        var ids = setup.Files.AllRows.Select(r => (string)r["id"]!).ToList();
        Assert.Equal(id, ids.Count);
        Assert.Equal(id, ids.Distinct().Count());
        Assert.Equal(ShardPosition.ShardEnd, setup.Leases["s1"].Checkpoint);
        Assert.InRange(setup.Leases.LargestItemBytes, 50 * 1024, 350 * 1024);
    }

    private static IEnumerable<string> Ids(byte[] jsonLines) =>
        Encoding.UTF8.GetString(jsonLines).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!);
}
