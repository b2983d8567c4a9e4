using System.Diagnostics;
using System.Numerics;
using System.Text;
using Streaming.Aws.Kinesis;
using Streaming.Core.Leases;

namespace Streaming.EndToEnd.Tests;

/// <summary>Real <c>streaming run</c> processes against kinesis-local and dynalite; the lake is checked with DuckDB.</summary>
[Collection(StackCollection.Name)]
public sealed class ConsumerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly StackFixture _stack;
    private readonly string _lake = Path.Combine(Path.GetTempPath(), "streaming-e2e", Guid.NewGuid().ToString("N"));
    private readonly string _stream = $"s-{Guid.NewGuid():N}"[..14];
    private readonly string _table = $"leases-{Guid.NewGuid():N}"[..20];

    public ConsumerTests(StackFixture stack)
    {
        _stack = stack;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_lake, recursive: true);
        }
        catch (IOException)
        {
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

    private string Diagnose(params WorkerProcess[] workers) =>
        string.Join("\n----\n", workers.Select(w => $"{w.Id}:\n{Tail(w.Output)}"));

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    [Fact]
    public async Task One_worker_reads_plain_aggregated_compressed_and_poisoned_records_from_four_shards_exactly_once()
    {
        await CreateStreamAsync(4);
        await Events.PutAsync(_stack.Kinesis, _stream, 0, 2000);
        await Events.PutEntriesAsync(_stack.Kinesis, _stream,
        [
            new PutRecordsEntry(Encoding.UTF8.GetBytes("this is not json"), "poison-1"),
            new PutRecordsEntry(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad }, "poison-2"),
            new PutRecordsEntry(Encoding.UTF8.GetBytes("{\"type\":\"../escape\",\"id\":\"bad\"}"), "poison-3"),
        ]);
        await Events.PutAsync(_stack.Kinesis, _stream, 2000, 3000);

        await using var worker = WorkerProcess.Start(_stack, _stream, _lake, _table, "solo");
        var counts = await LakeCheck.WaitForRowsAsync(_lake, 3000, Patience, rejected: 3);
        Assert.True(counts == new LakeCheck.Counts(3000, 3000, 3), $"{counts}\n{Diagnose(worker)}");
        Assert.False(Directory.Exists(Path.Combine(_lake, "..", "escape")));

        var leases = await LeasesAsync();
        Assert.Equal(4, leases.Count);
        Assert.All(leases, l => Assert.Equal("solo", l.Owner));
        Assert.All(leases, l => Assert.False(l.Checkpoint.IsSentinel));
    }

    [Fact]
    public async Task Three_workers_share_the_shards_evenly_and_write_every_event_once()
    {
        await CreateStreamAsync(6);
        await using var a = WorkerProcess.Start(_stack, _stream, _lake, _table, "w-a");
        await using var b = WorkerProcess.Start(_stack, _stream, _lake, _table, "w-b");
        await using var c = WorkerProcess.Start(_stack, _stream, _lake, _table, "w-c");
        await Events.PutAsync(_stack.Kinesis, _stream, 0, 3000);

        var counts = await LakeCheck.WaitForRowsAsync(_lake, 3000, Patience);
        Assert.True(counts == new LakeCheck.Counts(3000, 3000, 0), $"{counts}\n{Diagnose(a, b, c)}");
        var owners = (await LeasesAsync()).GroupBy(l => l.Owner).ToDictionary(g => g.Key ?? "(none)", g => g.Count());
        Assert.True(owners.Count == 3 && owners.Values.All(n => n == 2), string.Join(", ", owners.Select(kv => $"{kv.Key}={kv.Value}")));
    }

    [Fact]
    public async Task A_killed_workers_shards_are_resumed_by_another_within_the_bound_and_nothing_is_lost_or_doubled()
    {
        await CreateStreamAsync(4);
        await using var victim = WorkerProcess.Start(_stack, _stream, _lake, _table, "victim");
        await using var survivor = WorkerProcess.Start(_stack, _stream, _lake, _table, "survivor");

        // Keep events flowing while the victim dies, so it is killed with buffers open and files half-way.
        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < 4000; i += 250)
            {
                await Events.PutAsync(_stack.Kinesis, _stream, i, i + 250);
                await Task.Delay(300);
            }
        });
        await WaitUntilAsync(async () => (await LeasesAsync()).Count(l => l.Owner == "victim") >= 1 && LakeCheck.Count(_lake).Rows > 0, Patience);
        victim.KillHard();
        var killedAt = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await LeasesAsync()).All(l => l.Owner == "survivor"), Patience);
        var takeover = killedAt.Elapsed;
        await producing;

        var counts = await LakeCheck.WaitForRowsAsync(_lake, 4000, Patience);
        Assert.True(counts == new LakeCheck.Counts(4000, 4000, 0), $"{counts}\n{Diagnose(victim, survivor)}");
        var bound = WorkerProcess.FailoverTime + WorkerProcess.TakeInterval + TimeSpan.FromSeconds(6);
        Assert.True(takeover <= bound, $"took {takeover} to resume the dead worker's shards; bound {bound}");
    }

    [Fact]
    public async Task A_worker_joining_later_steals_its_share_while_events_flow_and_nothing_is_lost_or_doubled()
    {
        await CreateStreamAsync(4);
        await using var first = WorkerProcess.Start(_stack, _stream, _lake, _table, "first");
        await WaitUntilAsync(async () => (await LeasesAsync()).Count(l => l.Owner == "first") == 4, Patience);
        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < 3000; i += 200)
            {
                await Events.PutAsync(_stack.Kinesis, _stream, i, i + 200);
                await Task.Delay(250);
            }
        });
        await LakeCheck.WaitForRowsAsync(_lake, 1, Patience);
        await using var joiner = WorkerProcess.Start(_stack, _stream, _lake, _table, "joiner");
        var joined = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await LeasesAsync()).Count(l => l.Owner == "joiner") == 2, Patience);
        var share = joined.Elapsed;
        await producing;

        var counts = await LakeCheck.WaitForRowsAsync(_lake, 3000, Patience);
        Assert.True(counts == new LakeCheck.Counts(3000, 3000, 0), $"{counts}\n{Diagnose(first, joiner)}");
        Assert.True(share < TimeSpan.FromSeconds(15), $"the new worker got its share after {share}");
    }

    [Fact]
    public async Task A_shard_split_in_the_middle_of_the_stream_loses_nothing_and_children_wait_for_their_parent()
    {
        await CreateStreamAsync(2);
        await using var worker = WorkerProcess.Start(_stack, _stream, _lake, _table, "splitter");
        await Events.PutAsync(_stack.Kinesis, _stream, 0, 1500);
        await LakeCheck.WaitForRowsAsync(_lake, 1, Patience);

        var parent = (await _stack.Kinesis.ListShardsAsync(_stream)).First(s => s.IsOpen);
        var middle = (parent.HashKeyRange.StartingHashKey + parent.HashKeyRange.EndingHashKey) / 2;
        await _stack.Kinesis.SplitShardAsync(_stream, parent.ShardId, middle);
        await _stack.Kinesis.WaitForStreamActiveAsync(_stream, TimeSpan.FromMinutes(1));
        await Events.PutAsync(_stack.Kinesis, _stream, 1500, 3000);

        var counts = await LakeCheck.WaitForRowsAsync(_lake, 3000, Patience);
        Assert.True(counts == new LakeCheck.Counts(3000, 3000, 0), $"{counts}\n{Diagnose(worker)}");
        await WaitUntilAsync(async () => (await LeasesAsync()).Single(l => l.ShardId == parent.ShardId).IsFinished, Patience);
        var leases = await LeasesAsync();
        var children = leases.Where(l => l.ParentShardIds.Contains(parent.ShardId)).ToList();
        Assert.Equal(2, children.Count);
        Assert.Contains(children, c => !c.Checkpoint.IsSentinel);
    }

    [Fact]
    public async Task A_terminated_worker_flushes_releases_its_leases_and_another_takes_them_at_once()
    {
        await CreateStreamAsync(2);
        await using var first = WorkerProcess.Start(_stack, _stream, _lake, _table, "first");
        await Events.PutAsync(_stack.Kinesis, _stream, 0, 1000);
        await LakeCheck.WaitForRowsAsync(_lake, 1000, Patience);

        // More events, then SIGTERM while they are (most likely) still in buffers.
        await Events.PutAsync(_stack.Kinesis, _stream, 1000, 1500);
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
        var counts = await LakeCheck.WaitForRowsAsync(_lake, 1500, Patience);
        Assert.True(counts == new LakeCheck.Counts(1500, 1500, 0), $"{counts}\n{Diagnose(first, second)}");
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
        await Events.PutAsync(_stack.Kinesis, _stream, 0, 500);
        await LakeCheck.WaitForRowsAsync(_lake, 500, Patience);

        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("streaming_records_read_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("streaming_events_written_total{", metrics, StringComparison.Ordinal);
        Assert.Matches(@"streaming_leases_held[^\n]* 2", metrics);
        Assert.Contains("streaming_shard_millis_behind_latest", metrics, StringComparison.Ordinal);
        Assert.Contains("streaming_checkpoint_lag", metrics, StringComparison.Ordinal);
        Assert.Contains("streaming_flush_duration", metrics, StringComparison.Ordinal);
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
