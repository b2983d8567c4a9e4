using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Streaming.TestSupport.Emulators;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// The service's path: events put with the AWS CLI, consumed by real workers into an s3rver bucket, the lake
/// downloaded with the AWS CLI and counted with DuckDB.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class S3LakeTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly StackFixture _stack;
    private readonly string _stream = $"s3-{Guid.NewGuid():N}"[..14];
    private readonly string _table = $"leases-{Guid.NewGuid():N}"[..20];
    private readonly string _prefix = $"lake-{Guid.NewGuid():N}"[..13];
    private readonly string _download = Path.Combine(Path.GetTempPath(), "streaming-e2e-s3", Guid.NewGuid().ToString("N"));

    public S3LakeTests(StackFixture stack)
    {
        _stack = stack;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_download, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Lake => $"s3://{StackFixture.Bucket}/{_prefix}";

    private Dictionary<string, string> S3Environment() => new()
    {
        ["Streaming__S3__ServiceUrl"] = _stack.Stack.S3Endpoint.ToString(),
        ["Streaming__S3__ForcePathStyle"] = "true",
        ["Streaming__S3__Region"] = LocalAwsStack.Region,
    };

    /// <summary>The AWS CLI, a real client of both emulators.</summary>
    private async Task<string> AwsAsync(params string[] args)
    {
        var info = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["AWS_ACCESS_KEY_ID"] = LocalAwsStack.AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.SecretAccessKey;
        info.Environment["AWS_DEFAULT_REGION"] = LocalAwsStack.Region;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"aws {string.Join(' ', args)}: {await stderr}");

        // Some versions print --version on standard error.
        return await stdout + await stderr;
    }

    /// <summary>Puts events [from, to) with <c>aws kinesis put-records</c>, several per record, in batches.</summary>
    private async Task PutWithCliAsync(int from, int to)
    {
        for (var start = from; start < to; start += 400)
        {
            var records = new List<object>();
            for (var i = start; i < Math.Min(to, start + 400); i += 2)
            {
                var text = Events.Json(i) + (i + 1 < to ? "\n" + Events.Json(i + 1) : string.Empty);
                // Raw text: CLI v1 sends blobs as written; v2 does too with --cli-binary-format raw-in-base64-out.
                records.Add(new { Data = text, PartitionKey = $"user-{i % 40}" });
            }

            var file = Path.Combine(Path.GetTempPath(), $"records-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(records));
            try
            {
                string[] args = ["kinesis", "put-records", "--stream-name", _stream, "--records", $"file://{file}", "--endpoint-url", _stack.Stack.KinesisEndpoint.ToString()];
                if (!(await AwsAsync("--version")).Contains("aws-cli/1.", StringComparison.Ordinal))
                {
                    args = [.. args, "--cli-binary-format", "raw-in-base64-out"];
                }

                var answer = JsonDocument.Parse(await AwsAsync(args));
                Assert.Equal(0, answer.RootElement.GetProperty("FailedRecordCount").GetInt32());
            }
            finally
            {
                File.Delete(file);
            }
        }
    }

    private async Task<LakeCheck.Counts> DownloadAndCountAsync()
    {
        Directory.CreateDirectory(_download);
        await AwsAsync("s3", "sync", $"s3://{StackFixture.Bucket}/{_prefix}", _download, "--endpoint-url", _stack.Stack.S3Endpoint.ToString(), "--only-show-errors");
        return LakeCheck.Count(_download);
    }

    private async Task<LakeCheck.Counts> WaitForRowsAsync(long rows)
    {
        var deadline = DateTime.UtcNow + Patience;
        var counts = await DownloadAndCountAsync();
        while (counts.Rows < rows && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            counts = await DownloadAndCountAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        return await DownloadAndCountAsync();
    }

    /// <summary>Puts events [from, to) with <c>streaming produce</c>, plain or KPL-aggregated.</summary>
    private async Task ProduceAsync(int from, int to, bool aggregate)
    {
        var file = Path.Combine(Path.GetTempPath(), $"events-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(file, Enumerable.Range(from, to - from).Select(Events.Json));
        try
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            string[] args = [typeof(Streaming.Cli.Program).Assembly.Location, "produce", "--stream", _stream, "--file", file, "--endpoint", _stack.Stack.KinesisEndpoint.ToString(), "--region", LocalAwsStack.Region, "--json"];
            foreach (var a in aggregate ? [.. args, "--aggregate"] : args)
            {
                info.ArgumentList.Add(a);
            }

            info.Environment["AWS_ACCESS_KEY_ID"] = LocalAwsStack.AccessKeyId;
            info.Environment["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.SecretAccessKey;
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await stderr);
            Assert.Equal(to - from, JsonDocument.Parse(await stdout).RootElement.GetProperty("events_delivered").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Events_from_the_aws_cli_and_streaming_produce_land_in_the_s3_lake_exactly_once_through_a_sigterm_and_an_s3_outage()
    {
        await _stack.Kinesis.CreateStreamAsync(_stream, 2);
        await _stack.Kinesis.WaitForStreamActiveAsync(_stream, TimeSpan.FromMinutes(1));
        await using var first = WorkerProcess.Start(_stack, _stream, Lake, _table, "s3-first", environment: S3Environment());
        await using var second = WorkerProcess.Start(_stack, _stream, Lake, _table, "s3-second", environment: S3Environment());
        await PutWithCliAsync(0, 1000);
        await ProduceAsync(1000, 1500, aggregate: false);
        await ProduceAsync(1500, 2000, aggregate: true);
        var produced = await WaitForRowsAsync(2000);
        Assert.True(produced == new LakeCheck.Counts(2000, 2000, 0), $"{produced}\n{first.Output}\n{second.Output}");

        // SIGTERM one worker: it writes what it holds and releases; the other takes its shards within seconds.
        Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromSeconds(40)));
        var released = Stopwatch.StartNew();
        using (var leases = _stack.LeaseStore(_table))
        {
            while ((await leases.ListAsync(CancellationToken.None)).Any(l => l.Owner != "s3-second"))
            {
                Assert.True(released.Elapsed < TimeSpan.FromSeconds(10), $"the other worker took over after {released.Elapsed}");
                await Task.Delay(200);
            }
        }

        // S3 goes away while events keep coming; the worker must hold its buffers and retry.
        await _stack.Stack.StopAsync(EmulatorKind.S3);
        await PutWithCliAsync(2000, 2600);
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.False(second.HasExited, second.Output);
        await _stack.Stack.RestartAsync(EmulatorKind.S3);

        var after = await WaitForRowsAsync(2600);
        Assert.True(after == new LakeCheck.Counts(2600, 2600, 0), $"{after}\n{second.Output}");
        var schema = await AwsAsync("s3", "cp", $"s3://{StackFixture.Bucket}/{_prefix}/_schemas/t0.json", "-", "--endpoint-url", _stack.Stack.S3Endpoint.ToString());
        Assert.Contains("\"timestamp\"", schema, StringComparison.Ordinal);
    }
}
