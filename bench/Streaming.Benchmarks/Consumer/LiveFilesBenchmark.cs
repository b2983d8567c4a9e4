using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Streaming.Core.Configuration;
using Streaming.Core.Consumer;
using Streaming.Core.Diagnostics;
using Streaming.Core.Lake;
using Streaming.Core.Leases;
using Streaming.Core.Schema;
using Streaming.Parquet;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// <c>streaming-bench live-files</c>: how many files <c>streaming run</c> writes per (shard, table, hour) under live
/// traffic, measured on a simulated clock instead of hours of wall-clock time. One real <see cref="ShardConsumer"/>
/// per shard (its own <see cref="LakeRouter"/> and checkpointer, the shared <see cref="LakePublisher"/> with the real
/// Parquet writer, one memory account, an in-memory lease table), wired as <c>streaming run</c> wires them, at the
/// default options except those given. The driver plays the shards' read loops: every read interval (the idle
/// interval after an empty answer) of simulated time it hands a shard the records that arrived since its last read
/// (<see cref="ShardConsumer.ProcessBatchAsync"/>, the loop's step); at the end it stops the worker, and each
/// consumer's <see cref="ShardConsumer.RunAsync"/> does its shutdown flush. The files are counted from what the lake
/// store received.
/// </summary>
internal static class LiveFilesBenchmark
{
    private const string Usage = """
        usage: streaming-bench live-files [--shards S=4] [--types T=7] [--events-per-second R=100] [--hours H=3] [--from 00:00]
                                          [--max-buffer-age 00:05:00] [--hour-close-grace 00:10:00]
                                          [--late-share 0.01] [--late-max 00:02:00] [--seed 1]
          R is the whole stream's rate; every shard carries R/S events per second of every type. The simulation
          starts --from past the top of an hour and runs H (fractional) hours; the first and the last hour it
          touches are reported but left out of the steady figures.
        """;

    private const string WorkerId = "live-files";

    public static async Task<int> RunAsync(string[] args)
    {
        if (!LiveFilesSettings.TryParse(args, out var settings, out var error))
        {
            await Console.Error.WriteLineAsync($"streaming-bench live-files: {error}{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return 2;
        }

        var consumerOptions = new ConsumerOptions { StreamName = "live" };
        consumerOptions.MaxBufferAge = settings.MaxBufferAge ?? consumerOptions.MaxBufferAge;
        consumerOptions.HourCloseGrace = settings.HourCloseGrace ?? consumerOptions.HourCloseGrace;
        var lakeOptions = new LakeOptions();
        var problems = consumerOptions.Validate().Concat(lakeOptions.Validate()).ToList();
        if (problems.Count > 0)
        {
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, problems)).ConfigureAwait(false);
            return 2;
        }

        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero) + settings.From;
        var end = start.AddHours(settings.Hours);
        var clock = new FakeTimeProvider(start);
        var logger = new LiveFilesLogger();
        var store = new LiveFilesLakeStore(clock);
        var schemas = new SchemaRegistry(store);
        await schemas.LoadAsync(CancellationToken.None).ConfigureAwait(false);

        // As RunCommand builds them: the lake options with the stream's defaults, one publisher and one memory account.
        var shardLakeOptions = lakeOptions.WithStreamDefaults(consumerOptions.MaxBufferAge, consumerOptions.HourCloseGrace);
        var lakeMetrics = new LakeMetrics();
        var memory = new MemoryAccount();
        var publisher = new LakePublisher(store, new ParquetFileWriter(lakeOptions), schemas, clock, logger, lakeMetrics, memory: memory, publishingLimit: MemoryBounds.PublishingLimit(lakeOptions.MemoryBudget));
        var stream = new LiveFilesStream();
        var leaseStore = new InMemoryLeaseStore();
        var shards = new List<LiveFilesShard>();
        for (var i = 0; i < settings.Shards; i++)
        {
            var shardId = string.Create(CultureInfo.InvariantCulture, $"shardId-{i:D12}");
            var lease = Lease.New(shardId, ShardPosition.TrimHorizon, []);
            await leaseStore.CreateIfAbsentAsync(lease, CancellationToken.None).ConfigureAwait(false);
            var taken = (await leaseStore.TakeAsync(lease, WorkerId, CancellationToken.None).ConfigureAwait(false)).Updated!;
            var held = new HeldLease(taken, clock.GetTimestamp());
            var consumer = new ShardConsumer(
                new ShardCheckpointer(leaseStore, held, WorkerId, clock, logger),
                stream,
                new LakeRouter(shardLakeOptions, schemas, clock, logger, lakeMetrics, memory),
                publisher,
                consumerOptions,
                clock,
                logger,
                held.Stop.Token);
            var traffic = new LiveFilesTraffic(settings.Seed * 1000 + i, start, settings.EventsPerSecond / settings.Shards, settings.Types, settings.LateShare, settings.LateMax);

            // The shards' reads are spread over the read interval, as independent loops would be.
            shards.Add(new LiveFilesShard(shardId, held, consumer, traffic) { NextRead = start + (consumerOptions.ReadInterval * i / settings.Shards) });
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        long reads = 0;
        var peakMemory = 0L;
        var reported = start;
        while (true)
        {
            var shard = shards.MinBy(s => s.NextRead)!;
            if (shard.NextRead >= end)
            {
                break;
            }

            clock.SetUtcNow(shard.NextRead);
            var records = shard.Traffic.Until(shard.NextRead.ToUnixTimeMilliseconds());
            var batch = new RecordBatch(records, "next", 0, []);

            // What the read loop does around the step: the answer's records count in memory while they are routed.
            var batchBytes = records.Sum(r => r.Data.Length + (r.Sequence.Length * sizeof(char)) + 96L);
            memory.AddReading(batchBytes);
            try
            {
                await shard.Consumer.ProcessBatchAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                memory.AddReading(-batchBytes);
            }

            peakMemory = Math.Max(peakMemory, memory.Bytes);
            reads++;
            shard.NextRead += records.Count == 0 ? consumerOptions.IdleInterval : consumerOptions.ReadInterval;
            if (shard.NextRead - reported >= TimeSpan.FromHours(1))
            {
                reported = shard.NextRead;
                await Console.Error.WriteLineAsync($"  simulated {(reported - start).TotalHours:F0} h of {settings.Hours:0.##} ({wall.Elapsed.TotalSeconds:F0} s)").ConfigureAwait(false);
            }
        }

        // The worker stops at the end: each consumer finds the stop requested and writes what it holds.
        clock.SetUtcNow(end);
        foreach (var s in shards)
        {
            await s.Held.Stop.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(shards.Select(s => s.Consumer.RunAsync())).ConfigureAwait(false);
        wall.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;

        var files = store.Files;
        foreach (var f in files)
        {
            f.Reason = logger.Reasons.TryGetValue(f.Key, out var reason) ? reason : null;
        }

        var events = shards.Sum(s => s.Traffic.Events);
        var rowsWritten = files.Sum(f => f.Rows);
        var run = new LiveFilesRun(settings, consumerOptions, shardLakeOptions, start, end, events, shards.Sum(s => s.Traffic.LateEvents), reads, peakMemory, wall.Elapsed, cpuSeconds);
        await Console.Out.WriteAsync(LiveFilesReport.Render(run, files)).ConfigureAwait(false);
        foreach (var s in shards)
        {
            s.Held.Dispose();
        }

        if (rowsWritten != events)
        {
            await Console.Error.WriteLineAsync($"streaming-bench live-files: {events} events sent but {rowsWritten} rows written").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }
}
