using System.Diagnostics;
using Streaming.Aws.Kinesis;
using Streaming.Core.Leases;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// Real <c>streaming run</c> processes against kinesis-local and dynalite, fed the varied corpus in every record
/// format; their lake must equal, value for value (<see cref="LakeDiff"/>), the lake <c>streaming convert</c> makes of
/// the same lines.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ConsumerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly StackFixture _stack;
    private readonly string _lake = Path.Combine(Path.GetTempPath(), "streaming-e2e", Guid.NewGuid().ToString("N"));
    private readonly string _expectedLake = Path.Combine(Path.GetTempPath(), "streaming-e2e", Guid.NewGuid().ToString("N") + "-convert");
    private readonly string _stream = $"s-{Guid.NewGuid():N}"[..14];
    private readonly string _table = $"leases-{Guid.NewGuid():N}"[..20];

    public ConsumerTests(StackFixture stack)
    {
        _stack = stack;
    }

    public void Dispose()
    {
        foreach (var lake in new[] { _lake, _expectedLake })
        {
            try
            {
                Directory.Delete(lake, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task CreateStreamAsync(int shards)
    {
        await _stack.Kinesis.CreateStreamAsync(_stream, shards);
        await _stack.Kinesis.WaitForStreamActiveAsync(_stream, TimeSpan.FromMinutes(1));
    }

    private async Task<IReadOnlyList<Lease>> LeasesAsync()
    {
        using var store = _stack.LeaseStore(_table);
        await store.EnsureTableAsync(CancellationToken.None);
        return await store.ListAsync(CancellationToken.None);
    }

    /// <summary>The lake <c>streaming convert</c> makes of the same lines, built while the test runs.</summary>
    private Task<string> ConvertAsync(params CorpusBatch[] batches) => ReferenceLake.BuildAsync(_expectedLake, batches);

    /// <summary>
    /// Waits until the workers' lake holds as many rows and rejected events as convert's (plus
    /// <paramref name="alsoRejected"/>, whole records only a consumer sees), then compares them value for value.
    /// </summary>
    private async Task AssertSameLakeAsConvertAsync(Task<string> convert, WorkerProcess[] workers, IReadOnlyCollection<RejectedEvent>? alsoRejected = null)
    {
        var expected = await convert;
        var totals = LakeDiff.Count(expected);
        totals = totals with { Rejected = totals.Rejected + (alsoRejected?.Count ?? 0) };
        var reached = await LakeDiff.WaitForAsync(_lake, totals, Patience);
        var differences = LakeDiff.Compare(expected, _lake, alsoRejected);
        Assert.True(differences.Count == 0,
            $"the workers' lake ({reached}) differs from convert's ({totals}); expected is convert's, actual the workers':\n"
            + $"{string.Join("\n", differences)}\n----\n{Diagnose(workers)}");
    }

    private async Task WaitForOwnersAsync(Dictionary<string, int> expected)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var owners = (await LeasesAsync()).GroupBy(l => l.Owner ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
            if (owners.Count == expected.Count && expected.All(kv => owners.GetValueOrDefault(kv.Key) == kv.Value))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"leases held: {string.Join(", ", owners.Select(kv => $"{kv.Key}={kv.Value}"))}; expected {string.Join(", ", expected.Select(kv => $"{kv.Key}={kv.Value}"))}");
            await Task.Delay(200);
        }
    }

    private string Diagnose(params WorkerProcess[] workers) =>
        string.Join("\n----\n", workers.Select(w => $"{w.Id}:\n{Tail(w.Output)}"));

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    [Fact]
    public async Task One_worker_reads_every_record_format_and_hostile_records_from_four_shards_into_the_lake_convert_makes()
    {
        await CreateStreamAsync(4);
        var batch = CorpusBatch.Create("solo", 2500, seed: 1);
        var tail = CorpusBatch.Conflicts("solo-tail", 120, seed: 2);
        var expected = ConvertAsync(batch, tail);
        byte[][] undecodable = [[0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad], [0x78, 0x9c, 0xde, 0xad, 0xbe, 0xef]];
        await Events.PutAsync(_stack.Kinesis, _stream, batch, seed: 3);
        await Events.PutEntriesAsync(_stack.Kinesis, _stream, undecodable.Select((d, i) => new PutRecordsEntry(d, $"poison-{i}")).ToList());

        await using var worker = WorkerProcess.Start(_stack, _stream, _lake, _table, "solo");

        // Values of another type only once the first types are saved, as they were when convert read them.
        await LakeDiff.WaitForAsync(_lake, new LakeTotals(batch.Events.Count, 0), Patience, settle: TimeSpan.Zero);
        await Events.PutAsync(_stack.Kinesis, _stream, tail, seed: 4);
        await AssertSameLakeAsConvertAsync(expected, [worker], undecodable.Select(RejectedEvent.UndecompressablePayload).ToList());
        Assert.False(Directory.Exists(Path.Combine(_lake, "..", "escape")));

        var leases = await LeasesAsync();
        Assert.Equal(4, leases.Count);
        Assert.All(leases, l => Assert.Equal("solo", l.Owner));
        Assert.All(leases, l => Assert.False(l.Checkpoint.IsSentinel));
    }

    [Fact]
    public async Task Three_workers_share_six_shards_evenly_and_when_one_is_killed_mid_stream_the_others_resume_within_the_bound_and_the_lake_is_what_convert_makes()
    {
        await CreateStreamAsync(6);
        var batch = CorpusBatch.Create("trio", 3000, seed: 5);
        var expected = ConvertAsync(batch);
        await using var a = WorkerProcess.Start(_stack, _stream, _lake, _table, "w-a");
        await using var victim = WorkerProcess.Start(_stack, _stream, _lake, _table, "w-victim");
        await using var c = WorkerProcess.Start(_stack, _stream, _lake, _table, "w-c");
        await WaitForOwnersAsync(new() { ["w-a"] = 2, ["w-victim"] = 2, ["w-c"] = 2 });

        // Keep events flowing while the victim dies, so that it is killed with buffers open and files half-way.
        var producing = Events.PutAsync(_stack.Kinesis, _stream, batch, seed: 6, slices: 12, pause: TimeSpan.FromMilliseconds(300));
        await WaitUntilAsync(() => Task.FromResult(LakeDiff.Count(_lake).Rows > 0), Patience);
        victim.KillHard();
        var killedAt = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await LeasesAsync()).All(l => l.Owner is "w-a" or "w-c"), Patience);
        var takeover = killedAt.Elapsed;
        await producing;

        await AssertSameLakeAsConvertAsync(expected, [a, victim, c]);
        var bound = WorkerProcess.FailoverTime + WorkerProcess.TakeInterval + TimeSpan.FromSeconds(6);
        Assert.True(takeover <= bound, $"took {takeover} to resume the dead worker's shards; bound {bound}");
        await WaitForOwnersAsync(new() { ["w-a"] = 3, ["w-c"] = 3 });
    }

    [Fact]
    public async Task A_worker_joining_later_steals_its_share_while_events_flow_and_the_lake_is_what_convert_makes()
    {
        await CreateStreamAsync(4);
        var batch = CorpusBatch.Create("late", 2500, seed: 7);
        var expected = ConvertAsync(batch);
        await using var first = WorkerProcess.Start(_stack, _stream, _lake, _table, "first");
        await WaitUntilAsync(async () => (await LeasesAsync()).Count(l => l.Owner == "first") == 4, Patience);
        var producing = Events.PutAsync(_stack.Kinesis, _stream, batch, seed: 8, slices: 15, pause: TimeSpan.FromMilliseconds(250));
        await WaitUntilAsync(() => Task.FromResult(LakeDiff.Count(_lake).Rows > 0), Patience);
        await using var joiner = WorkerProcess.Start(_stack, _stream, _lake, _table, "joiner");
        var joined = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await LeasesAsync()).Count(l => l.Owner == "joiner") == 2, Patience);
        var share = joined.Elapsed;
        await producing;

        await AssertSameLakeAsConvertAsync(expected, [first, joiner]);
        Assert.True(share < TimeSpan.FromSeconds(15), $"the new worker got its share after {share}");
    }

    [Fact]
    public async Task A_shard_split_in_the_middle_of_the_stream_makes_the_lake_convert_makes_and_children_wait_for_their_parent()
    {
        await CreateStreamAsync(2);
        var before = CorpusBatch.Create("split-before", 1500, seed: 9);
        var after = CorpusBatch.Create("split-after", 1500, seed: 10);
        var expected = ConvertAsync(before, after);
        await using var worker = WorkerProcess.Start(_stack, _stream, _lake, _table, "splitter");
        await Events.PutAsync(_stack.Kinesis, _stream, before, seed: 11);
        await WaitUntilAsync(() => Task.FromResult(LakeDiff.Count(_lake).Rows > 0), Patience);

        var parent = (await _stack.Kinesis.ListShardsAsync(_stream)).First(s => s.IsOpen);
        var middle = (parent.HashKeyRange.StartingHashKey + parent.HashKeyRange.EndingHashKey) / 2;
        await _stack.Kinesis.SplitShardAsync(_stream, parent.ShardId, middle);
        await _stack.Kinesis.WaitForStreamActiveAsync(_stream, TimeSpan.FromMinutes(1));
        await Events.PutAsync(_stack.Kinesis, _stream, after, seed: 12);

        await AssertSameLakeAsConvertAsync(expected, [worker]);
        await WaitUntilAsync(async () => (await LeasesAsync()).Single(l => l.ShardId == parent.ShardId).IsFinished, Patience);
        var leases = await LeasesAsync();
        var children = leases.Where(l => l.ParentShardIds.Contains(parent.ShardId)).ToList();
        Assert.Equal(2, children.Count);
        Assert.Contains(children, c => !c.Checkpoint.IsSentinel);
    }

    [Fact]
    public async Task A_terminated_worker_flushes_releases_its_leases_another_takes_them_at_once_and_the_lake_is_what_convert_makes()
    {
        await CreateStreamAsync(2);
        var early = CorpusBatch.Create("term-early", 1000, seed: 13);
        var late = CorpusBatch.Create("term-late", 500, seed: 14);
        var expected = ConvertAsync(early, late);
        await using var first = WorkerProcess.Start(_stack, _stream, _lake, _table, "first");
        await Events.PutAsync(_stack.Kinesis, _stream, early, seed: 15);
        await LakeDiff.WaitForAsync(_lake, new LakeTotals(early.Events.Count, early.Hostile.Count), Patience, settle: TimeSpan.Zero);

        // More events, then SIGTERM while they are (most likely) still in buffers.
        await Events.PutAsync(_stack.Kinesis, _stream, late, seed: 16);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var exit = await first.TerminateAsync(TimeSpan.FromSeconds(40));
        Assert.True(exit == 0, first.Output);
        var released = await LeasesAsync();
        Assert.All(released, l => Assert.Null(l.Owner));
        Assert.All(released, l => Assert.Empty(l.Flushed));

        await using var second = WorkerProcess.Start(_stack, _stream, _lake, _table, "second");
        var started = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await LeasesAsync()).All(l => l.Owner == "second"), Patience);
        Assert.True(started.Elapsed < WorkerProcess.FailoverTime + TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
        await AssertSameLakeAsConvertAsync(expected, [first, second]);
    }

    [Fact]
    public async Task A_worker_answers_health_readiness_and_prometheus_metrics()
    {
        await CreateStreamAsync(2);
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var worker = WorkerProcess.Start(_stack, _stream, _lake, _table, "observed", port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitUntilAsync(async () => await TryGetAsync(http, "/readyz") == System.Net.HttpStatusCode.OK, Patience);
        Assert.Equal(System.Net.HttpStatusCode.OK, await TryGetAsync(http, "/healthz"));
        var batch = CorpusBatch.Create("observed", 500, seed: 17, hostile: false);
        await Events.PutAsync(_stack.Kinesis, _stream, batch, seed: 18);
        await LakeDiff.WaitForAsync(_lake, new LakeTotals(batch.Events.Count, 0), Patience, settle: TimeSpan.Zero);

        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("streaming_records_read_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("streaming_events_written_total{", metrics, StringComparison.Ordinal);
        Assert.Matches(@"streaming_leases_held[^\n]* 2", metrics);
        Assert.Contains("streaming_shard_millis_behind_latest", metrics, StringComparison.Ordinal);
        Assert.Contains("streaming_checkpoint_lag", metrics, StringComparison.Ordinal);
        Assert.Contains("streaming_flush_duration", metrics, StringComparison.Ordinal);
        // The runtime's own meter: what the heap and the process hold, for the memory dashboards and for diagnosis.
        Assert.Matches(@"dotnet_gc_heap_total_allocated_bytes[^\n]* [1-9]", metrics);
        Assert.Matches(@"dotnet_process_memory_working_set_bytes[^\n]* [1-9]", metrics);
    }

    private static async Task<System.Net.HttpStatusCode?> TryGetAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(200);
        }
    }
}
