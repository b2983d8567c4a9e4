using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Streaming.Core.Configuration;
using Streaming.Core.Consumer;
using Streaming.Core.Diagnostics;
using Streaming.Core.Lake;
using Streaming.Core.Leases;
using Streaming.Core.Schema;
using Streaming.Parquet;
using Streaming.Storage.Local;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// <c>streaming-bench consumer &lt;events.ndjson&gt; --shards N [--aggregate] [--events-per-record K] [--lake dir]</c>:
/// the consumer's CPU per MB with no emulator in the loop. The events are dealt into N shards by partition key and
/// recorded as GetRecords answers before timing starts; then one <see cref="ShardConsumer"/> per shard (its own
/// router and checkpointer) reads them concurrently through the real wire parser into a local lake, sharing one
/// publisher (the real Parquet writer), one schema registry, one memory account and an in-memory lease table, with
/// no pause between reads. Prints one JSON object: wall and process CPU time of the run, record data consumed,
/// MB per CPU-second, and where the CPU went.
/// </summary>
internal static class ConsumerBenchmark
{
    private const string Usage = "usage: streaming-bench consumer <events.ndjson> --shards N [--aggregate] [--events-per-record K] [--lake dir]";
    private const string WorkerId = "bench-worker";

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, out var input, out var shardCount, out var format, out var eventsPerRecord, out var lake))
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        if (Directory.Exists(lake) && Directory.EnumerateFileSystemEntries(lake).Any())
        {
            await Console.Error.WriteLineAsync($"streaming-bench consumer: {lake} is not empty; give a new lake directory").ConfigureAwait(false);
            return 2;
        }

        var preparing = Stopwatch.StartNew();
        var file = await File.ReadAllBytesAsync(input).ConfigureAwait(false);
        var events = Lines(file);
        var shards = RecordedStreamBuilder.Build(events, shardCount, format, eventsPerRecord, DateTimeOffset.UtcNow.AddHours(-1));
        var eventCount = events.Count;
        var inputBytes = file.LongLength;
        events = null;
        file = null;
        var preparation = preparing.Elapsed;

        var time = TimeProvider.System;
        var logger = WarningLogger.Instance;
        var store = new TimedLakeStore(new LocalLakeStore(lake));
        var schemas = new SchemaRegistry(store);
        await schemas.LoadAsync(CancellationToken.None).ConfigureAwait(false);

        // `streaming run` at its defaults, except that a shard is read again at once instead of every 250 ms.
        var consumerOptions = new ConsumerOptions { StreamName = "bench", ReadInterval = TimeSpan.Zero, IdleInterval = TimeSpan.Zero };
        var lakeOptions = new LakeOptions().WithStreamDefaults(consumerOptions.MaxBufferAge, consumerOptions.HourCloseGrace);
        var fileWriter = new TimedFileWriter(new ParquetFileWriter(lakeOptions));
        var lakeMetrics = new LakeMetrics();
        var memory = new MemoryAccount();
        var consumerMetrics = new ConsumerMetrics(time, null, () => memory.Bytes);
        var publisher = new LakePublisher(store, fileWriter, schemas, time, logger, lakeMetrics);
        var reader = new RecordedStreamReader(shards);
        var leaseStore = new InMemoryLeaseStore();
        var held = new List<HeldLease>();
        var consumers = new List<ShardConsumer>();
        foreach (var shard in shards)
        {
            var lease = Lease.New(shard.ShardId, ShardPosition.TrimHorizon, []);
            await leaseStore.CreateIfAbsentAsync(lease, CancellationToken.None).ConfigureAwait(false);
            var taken = (await leaseStore.TakeAsync(lease, WorkerId, CancellationToken.None).ConfigureAwait(false)).Updated!;
            var holding = new HeldLease(taken, time.GetTimestamp());
            held.Add(holding);
            consumers.Add(new ShardConsumer(
                new ShardCheckpointer(leaseStore, holding, WorkerId, time, logger),
                reader,
                new LakeRouter(lakeOptions, schemas, time, logger, lakeMetrics, memory),
                publisher,
                consumerOptions,
                time,
                logger,
                holding.Stop.Token,
                consumerMetrics));
        }

        // The recorded answers stay (pinned, outside the timing); the input file and the building garbage go now.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();

        using var process = Process.GetCurrentProcess();
        var before = Snapshot.Take(process);
        var wall = Stopwatch.StartNew();
        var finished = new double[consumers.Count];
        var running = consumers.Select((c, i) => Task.Run(async () =>
        {
            await c.RunAsync().ConfigureAwait(false);
            finished[i] = wall.Elapsed.TotalSeconds;
        })).ToList();
        await Task.WhenAll(running).ConfigureAwait(false);
        wall.Stop();
        var after = Snapshot.Take(process);

        var leases = await leaseStore.ListAsync(CancellationToken.None).ConfigureAwait(false);
        var stats = consumers.Select(c => c.Stats).ToList();
        var result = new Dictionary<string, object>
        {
            ["shards"] = shardCount,
            ["format"] = format == RecordFormat.Aggregated ? "aggregated" : eventsPerRecord == 1 ? "plain" : $"plain x{eventsPerRecord}",
            ["events"] = eventCount,
            ["input_bytes"] = inputBytes,
            ["records"] = reader.Records,
            ["record_bytes"] = reader.RecordBytes,
            ["responses"] = shards.Sum(s => s.Responses.Count),
            ["response_bytes"] = shards.Sum(s => s.Responses.Sum(r => (long)r.Length)),
            ["records_per_shard_min"] = shards.Min(s => s.Records),
            ["records_per_shard_max"] = shards.Max(s => s.Records),
            ["preparation_seconds"] = Round(preparation.TotalSeconds),
            ["wall_seconds"] = Round(wall.Elapsed.TotalSeconds),
            ["cpu_seconds"] = Round((after.Cpu - before.Cpu).TotalSeconds),
            ["user_seconds"] = Round((after.User - before.User).TotalSeconds),
            ["system_seconds"] = Round((after.Cpu - before.Cpu - (after.User - before.User)).TotalSeconds),
            ["cpu_per_wall"] = Round((after.Cpu - before.Cpu).TotalSeconds / wall.Elapsed.TotalSeconds),
            ["runnable_per_wall"] = Round((after.Demand - before.Demand).TotalSeconds / wall.Elapsed.TotalSeconds),
            ["record_mb_per_cpu_second"] = Round(reader.RecordBytes / 1e6 / (after.Cpu - before.Cpu).TotalSeconds),
            ["input_mb_per_cpu_second"] = Round(inputBytes / 1e6 / (after.Cpu - before.Cpu).TotalSeconds),
            ["shard_finished_seconds_min"] = Round(finished.Min()),
            ["shard_finished_seconds_max"] = Round(finished.Max()),
            ["parse_cpu_seconds"] = Round(reader.ParseCpu.TotalSeconds),
            ["encode_cpu_seconds"] = Round(fileWriter.Cpu.TotalSeconds),
            ["store_cpu_seconds"] = Round(store.Cpu.TotalSeconds),
            ["encodes_not_synchronous"] = fileWriter.Asynchronous,
            ["jit_seconds"] = Round((after.Jit - before.Jit).TotalSeconds),
            ["gc_pause_seconds"] = Round((after.GcPause - before.GcPause).TotalSeconds),
            ["gc_collections"] = $"{after.Gen0 - before.Gen0}/{after.Gen1 - before.Gen1}/{after.Gen2 - before.Gen2}",
            ["allocated_mb"] = Round((after.Allocated - before.Allocated) / 1e6),
            ["rows"] = stats.Sum(s => s.Rows),
            ["rows_written"] = stats.Sum(s => s.RowsWritten),
            ["rejected"] = stats.Sum(s => s.Rejected),
            ["files"] = stats.Sum(s => s.FilesWritten),
            ["lake_bytes"] = stats.Sum(s => s.BytesWritten),
            ["lease_writes"] = leaseStore.Writes,
            ["flush_rounds"] = consumers.Sum(c => c.Rounds),
            // CLOCK_MONOTONIC seconds, for `perf record -k CLOCK_MONOTONIC` and `perf report --time start,end`.
            ["monotonic_start"] = Monotonic(before.Monotonic),
            ["monotonic_end"] = Monotonic(after.Monotonic),
            ["all_shards_ended"] = leases.All(l => l.Checkpoint.IsShardEnd) && consumers.All(c => c.State == ShardConsumerState.Stopped),
        };
        foreach (var h in held)
        {
            h.Dispose();
        }

        await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result)).ConfigureAwait(false);
        return (bool)result["all_shards_ended"] && stats.Sum(s => s.Events) == eventCount ? 0 : 1;
    }

    private static double Round(double value) => Math.Round(value, 3);

    private static string Monotonic(long timestamp) => (timestamp / (double)Stopwatch.Frequency).ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>The non-blank lines of the file, as <c>convert</c> reads them (a trailing carriage return dropped).</summary>
    private static List<ReadOnlyMemory<byte>> Lines(byte[] file)
    {
        var lines = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        while (start < file.Length)
        {
            var end = Array.IndexOf(file, (byte)'\n', start);
            if (end < 0)
            {
                end = file.Length;
            }

            var length = end - start;
            if (length > 0 && file[end - 1] == (byte)'\r')
            {
                length--;
            }

            if (length > 0)
            {
                lines.Add(file.AsMemory(start, length));
            }

            start = end + 1;
        }

        return lines;
    }

    private static bool TryParse(string[] args, out string input, out int shards, out RecordFormat format, out int eventsPerRecord, out string lake)
    {
        input = string.Empty;
        shards = 1;
        format = RecordFormat.Plain;
        eventsPerRecord = 1;
        lake = Path.Combine("bench", "out", "consumer-lake");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--shards" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1024:
                    shards = n;
                    i++;
                    break;
                case "--events-per-record" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k is >= 1 and <= 500:
                    eventsPerRecord = k;
                    i++;
                    break;
                case "--aggregate":
                    format = RecordFormat.Aggregated;
                    break;
                case "--lake" when i + 1 < args.Length:
                    lake = args[++i];
                    break;
                default:
                    if (args[i].StartsWith('-') || input.Length > 0)
                    {
                        return false;
                    }

                    input = args[i];
                    break;
            }
        }

        return input.Length > 0 && File.Exists(input);
    }

    /// <summary>The process's counters at one moment.</summary>
    private readonly record struct Snapshot(TimeSpan Cpu, TimeSpan User, TimeSpan Jit, TimeSpan GcPause, int Gen0, int Gen1, int Gen2, long Allocated, TimeSpan Demand, long Monotonic)
    {
        public static Snapshot Take(Process process)
        {
            process.Refresh();
            return new Snapshot(
                process.TotalProcessorTime,
                process.UserProcessorTime,
                System.Runtime.JitInfo.GetCompilationTime(),
                GC.GetTotalPauseDuration(),
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                GC.GetTotalAllocatedBytes(precise: false),
                CpuDemand.Now(),
                Stopwatch.GetTimestamp());
        }
    }
}
