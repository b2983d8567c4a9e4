using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Streaming.Aws.Kinesis;
using Streaming.Core.Configuration;
using Streaming.Core.Leases;
using Streaming.TestSupport.Emulators;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// What real <c>streaming run</c> processes do when things go wrong: hostile records cannot stop a shard; a failure
/// waiting cannot fix (the bucket deleted) ends the worker with one line, exit 1 and its leases released; an outage
/// (the lease table or S3 frozen with SIGSTOP, so that requests hang rather than fail) is waited out and loses
/// nothing; configuration errors end it before it does anything, with exit 2 and one line. Lakes are compared value
/// for value with the lake <c>streaming convert</c> makes of the same lines (<see cref="LakeDiff"/>).
/// </summary>
[Collection(StackCollection.Name)]
public sealed partial class FailureTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly StackFixture _stack;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "streaming-e2e-failures", Guid.NewGuid().ToString("N"));
    private readonly string _stream = $"f-{Guid.NewGuid():N}"[..14];
    private readonly string _table = $"leases-{Guid.NewGuid():N}"[..20];
    private readonly string _prefix = $"lake-{Guid.NewGuid():N}"[..13];

    public FailureTests(StackFixture stack)
    {
        _stack = stack;
    }

    private string Lake => Path.Combine(_root, "lake");

    private string ExpectedLake => Path.Combine(_root, "convert");

    private string Download => Path.Combine(_root, "download");

    private Uri S3 => _stack.Stack.S3Endpoint;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_decompression_bomb_a_megabyte_of_binary_and_a_blank_record_cannot_stop_a_shard_each_hostile_record_is_one_capped_error_and_the_rest_is_the_lake_convert_makes()
    {
        await CreateStreamAsync(2);
        var batch = CorpusBatch.Create("bombed", 300, seed: 41);
        var convert = ReferenceLake.BuildAsync(ExpectedLake, batch);

        // 200 MiB of zeros inflate from about 200 KB; random bytes that are not text, the most a record can hold.
        var bomb = GzipOfZeros(200L * 1024 * 1024);
        var binary = RandomBinary(1_000_000, seed: 42);
        var entries = RecordMix.Build(batch, seed: 43).ToList();
        entries.Insert(entries.Count / 4, new PutRecordsEntry(bomb, "bomb"));
        entries.Insert(entries.Count / 2, new PutRecordsEntry(binary, "binary"));
        entries.Insert(3 * entries.Count / 4, new PutRecordsEntry("\n"u8.ToArray(), "blank"));

        var port = Operations.FreePort();
        await using var worker = WorkerProcess.Start(_stack, _stream, Lake, _table, "bombed", port);
        using var operations = new Operations(port);
        await Events.PutEntriesAsync(_stack.Kinesis, _stream, entries);

        var expected = await convert;
        var totals = LakeDiff.Count(expected);
        var reached = await LakeDiff.WaitForAsync(Lake, totals with { Rejected = totals.Rejected + 2 }, Patience);
        var errors = ErrorRecords.Read(Lake);

        var tooLarge = errors.Where(e => e.Text("reason") == "too_large").ToList();
        Assert.True(tooLarge.Count == 1, $"{tooLarge.Count} too_large records (lake {reached}):\n{string.Join("\n", tooLarge)}\n----\n{Tail(worker.Output)}");
        Assert.Contains("MaxEventSize", tooLarge[0].Text("message"), StringComparison.Ordinal);
        AssertCapped(tooLarge[0], bomb);

        // The corpus has an invalid_utf8 line of its own (short, not capped); the binary record is the capped one.
        var notText = errors.Where(e => e.Text("reason") == "invalid_utf8" && e.Number("raw_truncated_from_bytes") is not null).ToList();
        Assert.True(notText.Count == 1, $"{notText.Count} capped invalid_utf8 records:\n{string.Join("\n", notText)}");
        Assert.Equal(1_000_000, notText[0].Number("raw_truncated_from_bytes"));
        AssertCapped(notText[0], binary);

        // Everything else, rejected events included, is what convert makes of the lines: nothing more came of the
        // three records, and the shards went on after them.
        var differences = LakeDiff.Compare(expected, Lake, [new RejectedEvent("too_large", null, tooLarge[0].Text("raw_base64")), new RejectedEvent("invalid_utf8", null, notText[0].Text("raw_base64"))]);
        Assert.True(differences.Count == 0, $"the worker's lake ({reached}) differs from convert's ({totals}):\n{string.Join("\n", differences)}\n----\n{Tail(worker.Output)}");
        Assert.Equal(1, await operations.MetricAsync("streaming_records_blank_total"));
        Assert.Equal(2, await operations.MetricAsync("streaming_stream_shards_open"));

        // The worker capped its heap from the default budget, and stayed under the process bound it announced,
        // the 200 MiB inflate included (docs/memory.md).
        var budget = new LakeOptions().MemoryBudget;
        Assert.Contains($"Managed heap limited to {MemoryBounds.HeapLimit(budget) / (1024 * 1024)} MiB", worker.Output, StringComparison.Ordinal);
        var peak = worker.PeakResidentBytes();
        Assert.True(peak < MemoryBounds.ProcessLimit(budget), $"peak RSS {peak / (1024 * 1024)} MiB, bound {MemoryBounds.ProcessLimit(budget) / (1024 * 1024)} MiB");

        Assert.True(await worker.TerminateAsync(TimeSpan.FromSeconds(40)) == 0, Tail(worker.Output));
    }

    [Fact]
    public async Task A_bucket_deleted_while_events_flow_stops_the_worker_with_exit_1_and_one_line_naming_the_bucket_and_the_fix_after_readiness_turned_503_and_every_lease_released()
    {
        var bucket = $"gone-{Guid.NewGuid():N}"[..16];
        await AwsCli.RunAsync("s3", "mb", $"s3://{bucket}", "--endpoint-url", S3.ToString());
        await CreateStreamAsync(2);
        var before = CorpusBatch.Create("gone-before", 200, seed: 51, hostile: false);
        var after = CorpusBatch.Create("gone-after", 300, seed: 52, hostile: false);
        var lake = $"s3://{bucket}/lake";
        var port = Operations.FreePort();

        // As an operator runs it: without -v.
        await using var worker = WorkerProcess.Start(_stack, _stream, lake, _table, "doomed", port, S3Environment(), verbose: false);
        using var operations = new Operations(port);
        await operations.WaitForReadinessAsync(HttpStatusCode.OK, Patience, () => worker.Output);
        await Events.PutAsync(_stack.Kinesis, _stream, before, seed: 53);
        await WaitForS3LakeAsync(lake, new LakeTotals(before.Events.Count, 0));

        // Readiness as a probe sees it, until the process is gone. Between the failure and the exit the worker only
        // writes what it can and releases its leases, some 50 to 200 ms here: hence the tight polling.
        var answers = new ConcurrentQueue<(HttpStatusCode? Status, string Body)>();
        var probing = Task.Run(async () =>
        {
            while (!worker.HasExited)
            {
                answers.Enqueue(await operations.ReadinessAsync());
                await Task.Delay(5);
            }
        });

        // Deleted between two batches (rb would race uploads landing between its listing and its delete), then
        // events keep coming: the next upload meets NoSuchBucket.
        await DeleteBucketAsync(bucket);
        var deleted = Stopwatch.StartNew();
        var producing = Events.PutAsync(_stack.Kinesis, _stream, after, seed: 54, slices: 6, pause: TimeSpan.FromMilliseconds(500));
        var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var stoppedAfter = deleted.Elapsed;
        await producing;
        await probing;

        var output = worker.Output;
        Assert.True(exit == 1, $"exit {exit}:\n{output}");
        Assert.True(stoppedAfter < TimeSpan.FromSeconds(60), $"stopped {stoppedAfter} after the bucket was deleted");
        Assert.Contains(worker.Lines, l => l.Contains(bucket, StringComparison.Ordinal) && l.Contains("NoSuchBucket", StringComparison.Ordinal) && l.Contains("create the bucket", StringComparison.Ordinal));
        var last = worker.Lines[^1];
        Assert.StartsWith("streaming run: worker doomed failed: ", last, StringComparison.Ordinal);
        Assert.Contains($"s3://{bucket}", last, StringComparison.Ordinal);
        Assert.Contains("NoSuchBucket", last, StringComparison.Ordinal);
        Assert.Contains("create the bucket", last, StringComparison.Ordinal);
        AssertNoStackTrace(output);

        var notReady = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.True(notReady.Count > 0, $"/readyz never answered 503 before the worker exited; answers: {string.Join(", ", answers.Select(a => a.Status).Distinct())}\n{output}");
        Assert.All(notReady, a => Assert.StartsWith("not ready: ", a.Body, StringComparison.Ordinal));
        Assert.Contains(notReady, a => a.Body.Contains(bucket, StringComparison.Ordinal));

        var leases = await LeasesAsync();
        Assert.Equal(2, leases.Count);
        Assert.True(leases.All(l => l.Owner is null), $"leases still held after the exit: {string.Join(", ", leases.Where(l => l.Owner is not null).Select(l => l.ShardId))}\n{output}");
    }

    [Fact]
    public async Task A_frozen_lease_table_turns_readiness_503_naming_it_and_once_it_answers_again_the_worker_is_ready_and_its_lake_is_what_convert_makes()
    {
        await CreateStreamAsync(2);
        var before = CorpusBatch.Create("frozen-before", 300, seed: 61);
        var during = CorpusBatch.Create("frozen-during", 300, seed: 65);
        var after = CorpusBatch.Create("frozen-after", 300, seed: 62);
        var convert = ReferenceLake.BuildAsync(ExpectedLake, before, during, after);
        var port = Operations.FreePort();
        await using var worker = WorkerProcess.Start(_stack, _stream, Lake, _table, "thawed", port);
        using var operations = new Operations(port);
        await operations.WaitForReadinessAsync(HttpStatusCode.OK, Patience, () => worker.Output);
        await Events.PutAsync(_stack.Kinesis, _stream, before, seed: 63);
        await LakeDiff.WaitForAsync(Lake, new LakeTotals(before.Events.Count, before.Hostile.Count), Patience, settle: TimeSpan.Zero);

        string notReady;
        TimeSpan toNotReady;
        TimeSpan toReady;
        (HttpStatusCode? Status, string Body) endOfOutage;
        using (var frozen = _stack.Stack.Pause(EmulatorKind.DynamoDb))
        {
            // Events keep coming while the lease table hangs, so that checkpoint writes and flush rounds hang too.
            var producing = Events.PutAsync(_stack.Kinesis, _stream, during, seed: 66, slices: 8, pause: TimeSpan.FromMilliseconds(500));
            (notReady, toNotReady) = await operations.WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(15), () => worker.Output);
            await producing;

            // Long enough that the worker's leases expire (it must stop writing them, then take them back).
            await Task.Delay(WorkerProcess.FailoverTime + TimeSpan.FromSeconds(2));
            endOfOutage = await operations.ReadinessAsync();
            frozen.Resume();
            (_, toReady) = await operations.WaitForReadinessAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(30), () => worker.Output);
        }

        Assert.Contains("lease table", notReady, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, endOfOutage.Status);
        Assert.False(worker.HasExited, worker.Output);
        Assert.True(await operations.MetricAsync("streaming_writes_failed_total") > 0, "no write failure counted during the outage");

        await Events.PutAsync(_stack.Kinesis, _stream, after, seed: 64);
        await AssertSameLakeAsConvertAsync(convert, Lake, worker);
        await WaitUntilAsync(async () => (await LeasesAsync()).All(l => l.Owner == "thawed"), Patience);
        Assert.True(toNotReady < TimeSpan.FromSeconds(15) && toReady < TimeSpan.FromSeconds(30), $"503 after {toNotReady}, 200 again after {toReady}");
    }

    [Fact]
    public async Task A_sigterm_while_s3_is_frozen_ends_within_the_shutdown_timeout_with_exit_1_and_a_line_per_unwritten_shard_and_the_next_worker_writes_everything_exactly_once()
    {
        await CreateStreamAsync(2);
        var batch = CorpusBatch.Create("s3-frozen", 300, seed: 71);
        var convert = ReferenceLake.BuildAsync(ExpectedLake, batch);
        var lake = $"s3://{StackFixture.Bucket}/{_prefix}";
        var shutdownTimeout = TimeSpan.FromSeconds(10);
        var bound = shutdownTimeout + TimeSpan.FromSeconds(8);
        var environment = S3Environment();
        environment["Streaming__Consumer__ShutdownTimeout"] = shutdownTimeout.ToString();
        var port = Operations.FreePort();
        await using var first = WorkerProcess.Start(_stack, _stream, lake, _table, "s3-frozen", port, environment);
        using var operations = new Operations(port);
        await operations.WaitForReadinessAsync(HttpStatusCode.OK, Patience, () => first.Output);
        var entries = RecordMix.Build(batch, seed: 72);

        int exit;
        TimeSpan stoppedAfter;
        using (_stack.Stack.Pause(EmulatorKind.S3))
        {
            await Events.PutEntriesAsync(_stack.Kinesis, _stream, entries);
            await WaitUntilAsync(async () => await operations.MetricAsync("streaming_records_read_total") >= entries.Count, Patience);

            // Past the maximum buffer age: a flush round is under way, its uploads hanging.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var stopping = Stopwatch.StartNew();
            await first.SendSigtermAsync();
            exit = await first.WaitForExitAsync(bound + TimeSpan.FromSeconds(30));
            stoppedAfter = stopping.Elapsed;
        }

        Assert.True(exit == 1, $"exit {exit}:\n{first.Output}");
        Assert.True(stoppedAfter <= bound, $"the stop took {stoppedAfter}; the shutdown timeout is {shutdownTimeout}");
        var leases = await LeasesAsync();
        Assert.Equal(2, leases.Count);
        foreach (var shard in leases.Select(l => l.ShardId))
        {
            Assert.Single(first.Lines, l => l.Contains(shard, StringComparison.Ordinal) && l.Contains("could not be written", StringComparison.Ordinal));
        }

        Assert.Matches(@"^streaming run: worker s3-frozen stopped, but 2 shard\(s\) could not write what they buffered", first.Lines[^1]);
        AssertNoStackTrace(first.Output);
        Assert.All(leases, l => Assert.Null(l.Owner));

        // S3 answers again (and may now carry out uploads the first worker sent before it died).
        await using var second = WorkerProcess.Start(_stack, _stream, lake, _table, "s3-second", environment: S3Environment());
        var expected = await convert;
        var totals = LakeDiff.Count(expected);
        var reached = await WaitForS3LakeAsync(lake, totals);
        var differences = LakeDiff.Compare(expected, Download);
        Assert.True(differences.Count == 0, $"the S3 lake ({reached}) differs from convert's ({totals}):\n{string.Join("\n", differences)}\n----\n{Tail(first.Output)}\n----\n{Tail(second.Output)}");
        Assert.True(await second.TerminateAsync(TimeSpan.FromSeconds(40)) == 0, Tail(second.Output));
    }

    [Fact]
    public async Task A_second_worker_on_a_taken_port_exits_2_at_once_with_one_line_naming_the_port_and_the_first_keeps_working()
    {
        await CreateStreamAsync(2);
        var batch = CorpusBatch.Create("port", 200, seed: 81, hostile: false);
        var convert = ReferenceLake.BuildAsync(ExpectedLake, batch);
        var port = Operations.FreePort();
        await using var first = WorkerProcess.Start(_stack, _stream, Lake, _table, "port-owner", port);
        using var operations = new Operations(port);
        await operations.WaitForReadinessAsync(HttpStatusCode.OK, Patience, () => first.Output);
        await WaitUntilAsync(async () => (await LeasesAsync()).Count(l => l.Owner == "port-owner") == 2, Patience);

        var started = Stopwatch.StartNew();
        await using var second = WorkerProcess.Start(_stack, _stream, Lake, _table, "port-taker", port, verbose: false);
        var exit = await second.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var exitedAfter = started.Elapsed;

        Assert.True(exit == 2, $"exit {exit}:\n{second.Output}");
        var line = Assert.Single(second.Lines);
        Assert.Contains($"port {port}", line, StringComparison.Ordinal);
        Assert.Contains("--http-port", line, StringComparison.Ordinal);
        AssertNoStackTrace(second.Output);
        Assert.True(exitedAfter < TimeSpan.FromSeconds(10), $"the second worker exited after {exitedAfter}");

        Assert.Equal(HttpStatusCode.OK, (await operations.ReadinessAsync()).Status);
        await Events.PutAsync(_stack.Kinesis, _stream, batch, seed: 82);
        await AssertSameLakeAsConvertAsync(convert, Lake, first);
        Assert.All(await LeasesAsync(), l => Assert.Equal("port-owner", l.Owner));
    }

    [Fact]
    public async Task A_misspelt_configuration_key_exits_2_before_anything_is_done_with_one_line_suggesting_the_real_key()
    {
        await using var worker = WorkerProcess.Start(_stack, _stream, Lake, _table, "misspelt", environment: new Dictionary<string, string> { ["Streaming__Lake__TargetFileSzie"] = "1MiB" }, verbose: false);
        var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit == 2, $"exit {exit}:\n{worker.Output}");
        var line = Assert.Single(worker.Lines);
        Assert.Contains("Streaming:Lake:TargetFileSzie", line, StringComparison.Ordinal);
        Assert.EndsWith("did you mean Streaming:Lake:TargetFileSize?", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Lake), "the lake was created");
        var (describe, _, error) = await AwsCli.TryAsync("dynamodb", "describe-table", "--table-name", _table, "--endpoint-url", _stack.Stack.DynamoDbEndpoint.ToString());
        Assert.True(describe != 0 && error.Contains("ResourceNotFoundException", StringComparison.Ordinal), $"the lease table was created: {error}");
    }

    [Fact]
    public async Task A_missing_stream_at_start_exits_2_with_one_line_naming_it()
    {
        await using var worker = WorkerProcess.Start(_stack, _stream, Lake, _table, "no-stream", verbose: false);
        var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 2, $"exit {exit}:\n{worker.Output}");
        var line = Assert.Single(worker.Lines);
        Assert.StartsWith("streaming run: cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(_stream, line, StringComparison.Ordinal);
        Assert.Contains("--stream", line, StringComparison.Ordinal);
        AssertNoStackTrace(worker.Output);
    }

    [Fact]
    public async Task A_missing_bucket_at_start_exits_2_with_one_line_naming_it_and_the_fix()
    {
        await CreateStreamAsync(1);
        var bucket = $"absent-{Guid.NewGuid():N}"[..18];
        await using var worker = WorkerProcess.Start(_stack, _stream, $"s3://{bucket}/lake", _table, "no-bucket", environment: S3Environment(), verbose: false);
        var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 2, $"exit {exit}:\n{worker.Output}");
        var line = Assert.Single(worker.Lines);
        Assert.StartsWith("streaming run: cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains($"s3://{bucket}", line, StringComparison.Ordinal);
        Assert.Contains("NoSuchBucket", line, StringComparison.Ordinal);
        Assert.Contains("create the bucket", line, StringComparison.Ordinal);
        AssertNoStackTrace(worker.Output);
    }

    private Dictionary<string, string> S3Environment() => new()
    {
        ["Streaming__S3__ServiceUrl"] = S3.ToString(),
        ["Streaming__S3__ForcePathStyle"] = "true",
        ["Streaming__S3__Region"] = LocalAwsStack.Region,
    };

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

    private static async Task AssertSameLakeAsConvertAsync(Task<string> convert, string lake, WorkerProcess worker)
    {
        var expected = await convert;
        var totals = LakeDiff.Count(expected);
        var reached = await LakeDiff.WaitForAsync(lake, totals, Patience);
        var differences = LakeDiff.Compare(expected, lake);
        Assert.True(differences.Count == 0,
            $"the worker's lake ({reached}) differs from convert's ({totals}); expected is convert's, actual the worker's:\n{string.Join("\n", differences)}\n----\n{Tail(worker.Output)}");
    }

    /// <summary>Downloads the S3 lake until it holds <paramref name="atLeast"/>, then once more a few seconds later (a duplicate would show).</summary>
    private async Task<LakeTotals> WaitForS3LakeAsync(string lake, LakeTotals atLeast)
    {
        var deadline = DateTime.UtcNow + Patience;
        var totals = await AwsCli.DownloadAsync(S3, lake, Download);
        while ((totals.Rows < atLeast.Rows || totals.Rejected < atLeast.Rejected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            totals = await AwsCli.DownloadAsync(S3, lake, Download);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        return await AwsCli.DownloadAsync(S3, lake, Download);
    }

    /// <summary><c>aws s3 rb --force</c>; again when a file landed between its listing and its delete (BucketNotEmpty).</summary>
    private async Task DeleteBucketAsync(string bucket)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (exit, _, error) = await AwsCli.TryAsync("s3", "rb", $"s3://{bucket}", "--force", "--endpoint-url", S3.ToString());
            if (exit == 0)
            {
                return;
            }

            Assert.True(attempt < 5, $"aws s3 rb s3://{bucket} --force: {error}");
        }
    }

    /// <summary>An error record that keeps at most 64 KiB of <paramref name="original"/>, with its length and SHA-256.</summary>
    private static void AssertCapped(JsonElement record, byte[] original)
    {
        Assert.Null(record.Text("raw"));
        var kept = Convert.FromBase64String(record.Text("raw_base64") ?? string.Empty);

        // Cut back by up to three bytes to a character boundary.
        Assert.InRange(kept.Length, (64 * 1024) - 3, 64 * 1024);
        Assert.True(original.AsSpan(0, kept.Length).SequenceEqual(kept), "raw_base64 is not the start of the record");
        Assert.Equal(original.Length, record.Number("raw_truncated_from_bytes"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), record.Text("raw_sha256"));
        Assert.Equal(0, record.Number("sub_sequence_number"));
        Assert.StartsWith("shardId-", record.Text("shard_id"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(record.Text("sequence_number")));
    }

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.OrdinalIgnoreCase);
        Assert.False(StackFrame().IsMatch(output), $"a stack trace in the output:\n{output}");
    }

    private static byte[] GzipOfZeros(long bytes)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (long written = 0; written < bytes; written += zeros.Length)
            {
                gzip.Write(zeros);
            }
        }

        return output.ToArray();
    }

    /// <summary>Random bytes that are not UTF-8, do not start with '{' and carry no gzip, zlib or KPL header.</summary>
    private static byte[] RandomBinary(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xFF;
        return bytes;
    }

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(200);
        }
    }

    /// <summary>A .NET stack frame, on a line of its own or folded into a single-line log entry.</summary>
    [GeneratedRegex(@"\s{2,}at [\w.`<>\[\],|]+\(")]
    private static partial Regex StackFrame();
}
