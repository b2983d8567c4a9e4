using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Streaming.TestSupport.Emulators;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// The service's path: events put with the AWS CLI and <c>streaming produce</c>, consumed by real workers into an
/// s3rver bucket, the lake downloaded with the AWS CLI and compared value for value with the lake <c>streaming
/// convert</c> makes of the same lines.
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
    private readonly string _expected = Path.Combine(Path.GetTempPath(), "streaming-e2e-s3", Guid.NewGuid().ToString("N") + "-convert");

    public S3LakeTests(StackFixture stack)
    {
        _stack = stack;
    }

    public void Dispose()
    {
        foreach (var lake in new[] { _download, _expected })
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

    private string Lake => $"s3://{StackFixture.Bucket}/{_prefix}";

    private Dictionary<string, string> S3Environment() => new()
    {
        ["Streaming__S3__ServiceUrl"] = _stack.Stack.S3Endpoint.ToString(),
        ["Streaming__S3__ForcePathStyle"] = "true",
        ["Streaming__S3__Region"] = LocalAwsStack.Region,
    };

    /// <summary>
    /// Puts a batch with <c>aws kinesis put-records</c>: events two per record, each hostile line a record of its own.
    /// The CLI takes the data as text, so only UTF-8 lines can go this way.
    /// </summary>
    private async Task PutWithCliAsync(CorpusBatch batch)
    {
        var records = new List<object>();
        for (var i = 0; i < batch.Events.Count; i += 2)
        {
            var text = batch.Events[i] + (i + 1 < batch.Events.Count ? "\n" + batch.Events[i + 1] : string.Empty);
            records.Add(new { Data = text, PartitionKey = $"user-{i % 40}" });
        }

        records.AddRange(batch.Hostile.Select((line, i) => new { Data = Encoding.UTF8.GetString(line), PartitionKey = $"hostile-{i}" }));
        foreach (var chunk in records.Chunk(400))
        {
            // Raw text: CLI v1 sends blobs as written; v2 does too with --cli-binary-format raw-in-base64-out. The file
            // is ASCII (non-ASCII escaped), so the CLI reads it the same under any locale.
            var file = Path.Combine(Path.GetTempPath(), $"records-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(chunk));
            try
            {
                string[] args = ["kinesis", "put-records", "--stream-name", _stream, "--records", $"file://{file}", "--endpoint-url", _stack.Stack.KinesisEndpoint.ToString()];
                // Some versions print --version on standard error.
                if (await AwsCli.TryAsync("--version") is var version && !(version.Output + version.Error).Contains("aws-cli/1.", StringComparison.Ordinal))
                {
                    args = [.. args, "--cli-binary-format", "raw-in-base64-out"];
                }

                var answer = JsonDocument.Parse(await AwsCli.RunAsync(args));
                Assert.Equal(0, answer.RootElement.GetProperty("FailedRecordCount").GetInt32());
            }
            finally
            {
                File.Delete(file);
            }
        }
    }

    private async Task<LakeTotals> DownloadAndCountAsync()
    {
        Directory.CreateDirectory(_download);
        await AwsCli.RunAsync("s3", "sync", $"s3://{StackFixture.Bucket}/{_prefix}", _download, "--endpoint-url", _stack.Stack.S3Endpoint.ToString(), "--only-show-errors");
        return LakeDiff.Count(_download);
    }

    /// <summary>Downloads the lake until it holds <paramref name="atLeast"/>, then once more a few seconds later.</summary>
    private async Task<LakeTotals> WaitForAsync(LakeTotals atLeast)
    {
        var deadline = DateTime.UtcNow + Patience;
        var totals = await DownloadAndCountAsync();
        while ((totals.Rows < atLeast.Rows || totals.Rejected < atLeast.Rejected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            totals = await DownloadAndCountAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        return await DownloadAndCountAsync();
    }

    /// <summary>Puts the events of a batch with <c>streaming produce</c>, plain or KPL-aggregated.</summary>
    private async Task ProduceAsync(CorpusBatch batch, bool aggregate)
    {
        var file = Path.Combine(Path.GetTempPath(), $"events-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(file, batch.Events);
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
            Assert.Equal(batch.Events.Count, JsonDocument.Parse(await stdout).RootElement.GetProperty("events_delivered").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Events_from_the_aws_cli_and_streaming_produce_make_the_s3_lake_convert_makes_through_a_sigterm_and_an_s3_outage()
    {
        var cli = new CorpusBatch(Corpus.Events("s3-cli", 1000, seed: 31), HostileLines.Create("s3-cli", utf8Only: true));
        var plain = CorpusBatch.Create("s3-plain", 500, seed: 32, hostile: false);
        var aggregated = CorpusBatch.Create("s3-aggregated", 500, seed: 33, hostile: false);
        var tail = CorpusBatch.Conflicts("s3-tail", 200, seed: 34);
        var convert = ReferenceLake.BuildAsync(_expected, cli, plain, aggregated, tail);
        await _stack.Kinesis.CreateStreamAsync(_stream, 2);
        await _stack.Kinesis.WaitForStreamActiveAsync(_stream, TimeSpan.FromMinutes(1));
        await using var first = WorkerProcess.Start(_stack, _stream, Lake, _table, "s3-first", environment: S3Environment());
        await using var second = WorkerProcess.Start(_stack, _stream, Lake, _table, "s3-second", environment: S3Environment());
        await PutWithCliAsync(cli);
        await ProduceAsync(plain, aggregate: false);
        await ProduceAsync(aggregated, aggregate: true);

        // The types these events give their columns are saved before the conflicting values below arrive.
        await WaitForAsync(new LakeTotals(cli.Events.Count + plain.Events.Count + aggregated.Events.Count, cli.Hostile.Count));

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

        // S3 goes away while events keep coming; the worker must hold its buffers and retry. These events carry
        // values of another type than their columns', which land the same way in both lakes now that the types are saved.
        await _stack.Stack.StopAsync(EmulatorKind.S3);
        await PutWithCliAsync(tail);
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.False(second.HasExited, second.Output);
        await _stack.Stack.RestartAsync(EmulatorKind.S3);

        var expected = await convert;
        var after = await WaitForAsync(LakeDiff.Count(expected));
        var differences = LakeDiff.Compare(expected, _download);
        Assert.True(differences.Count == 0,
            $"the S3 lake ({after}) differs from convert's; expected is convert's, actual the S3 lake's:\n{string.Join("\n", differences)}\n----\n{second.Output}");
        var schema = await AwsCli.RunAsync("s3", "cp", $"s3://{StackFixture.Bucket}/{_prefix}/_schemas/payment.json", "-", "--endpoint-url", _stack.Stack.S3Endpoint.ToString());
        Assert.Contains("\"timestamp\"", schema, StringComparison.Ordinal);
    }
}
