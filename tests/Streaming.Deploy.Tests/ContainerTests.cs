using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using DuckDB.NET.Data;
using Streaming.Aws.Kinesis;
using Streaming.Aws.Leases;
using Streaming.TestSupport.Emulators;

namespace Streaming.Deploy.Tests;

/// <summary>
/// No Docker engine runs on our machines, so the image is not built here. Instead this runs the Dockerfile's own
/// <c>dotnet publish</c> line, starts its output the way the chart starts the container (the rendered Deployment's
/// arguments and environment, the image's ENV and USER, a read-only working directory) against the local AWS
/// emulators, and checks that the worker drains a stream into an S3 lake, answers its probes and stops cleanly on
/// SIGTERM.
/// </summary>
[Collection(DeployToolsCollection.Name)]
public sealed partial class ContainerTests(DeployTools tools) : IAsyncLifetime
{
    private const int Events = 3000;
    private readonly LocalAwsStack _stack = new();
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "streaming-deploy", Guid.NewGuid().ToString("N")[..12]);
    private readonly string _stream = $"deploy-{Guid.NewGuid():N}"[..16];
    private readonly string _prefix = $"lake-{Guid.NewGuid():N}"[..13];

    private string Dockerfile => File.ReadAllText(Path.Combine(tools.RepositoryRoot, "docker", "Dockerfile"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_scratch);
        File.SetUnixFileMode(_scratch, (UnixFileMode)Convert.ToInt32("755", 8));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        foreach (var path in Directory.EnumerateFileSystemEntries(_scratch, "*", SearchOption.AllDirectories).Prepend(_scratch))
        {
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        }

        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public void The_image_runs_streaming_run_as_a_numeric_non_root_user_with_sigterm_reaching_it()
    {
        var lines = Dockerfile.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("ENTRYPOINT [\"streaming\"]", lines);
        Assert.Contains("CMD [\"run\"]", lines);
        Assert.Contains("STOPSIGNAL SIGTERM", lines);
        var user = Assert.Single(lines, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Matches("^USER [1-9][0-9]*:[1-9][0-9]*$", user);
        Assert.Equal(2, lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:", StringComparison.Ordinal) || l.StartsWith("FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("FROM mcr.microsoft.com/dotnet/runtime-deps:", StringComparison.Ordinal));
        var ignore = File.ReadAllLines(Path.Combine(tools.RepositoryRoot, ".dockerignore"));
        Assert.Contains("**", ignore);
        Assert.Contains("!src/", ignore);
    }

    [UnprivilegedFact]
    public async Task The_dockerfiles_publish_run_as_the_image_user_in_a_read_only_directory_drains_a_stream_into_s3()
    {
        // The publish (a Native AOT build, the slow part) runs while the emulators start and the events go in.
        var app = Path.Combine(_scratch, "app");
        var publish = PublishAsync(app);
        await _stack.StartKinesisAsync();
        await _stack.StartDynamoDbAsync();
        await _stack.StartS3Async(["lake"]);
        using (var kinesis = new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = _stack.KinesisEndpoint.ToString(), Region = LocalAwsStack.Region,
            AccessKeyId = LocalAwsStack.AccessKeyId, SecretAccessKey = LocalAwsStack.SecretAccessKey, StatusPollInterval = TimeSpan.FromMilliseconds(100),
        }))
        {
            await kinesis.CreateStreamAsync(_stream, 2);
            await kinesis.WaitForStreamActiveAsync(_stream, TimeSpan.FromMinutes(1));
        }

        await ProduceAsync();
        await publish;
        CheckNativeExecutable(app);
        MakeReadOnly(app);
        var before = Listing(app);

        var rendered = await tools.RenderAsync([tools.CiValues("minimal-values.yaml")], [$"stream.name={_stream}", $"lake=s3://lake/{_prefix}", "extraArgs[0]=--verbose"]);
        var port = NextFreePort();
        var (uid, gid) = ImageUser();
        using var worker = StartAsImageUser(app, rendered, port, uid, gid);
        var output = new StringBuilder();
        worker.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        worker.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        string Log() { lock (output) { return output.ToString(); } }

        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var container = rendered.Container;
            var readiness = container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString()!;
            var liveness = container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString()!;
            await WaitForAsync(async () => await StatusAsync(http, readiness) == 200, TimeSpan.FromSeconds(60), () => $"never ready on {readiness}: {Log()}");
            Assert.Equal(200, await StatusAsync(http, liveness));
            Assert.Equal(uid, ProcessUid(worker.Id));

            // Drained: every event written once, the hostile line rejected, as the worker's own metrics say ...
            await WaitForAsync(
                async () => Sum(await http.GetStringAsync("/metrics"), "streaming_events_written_total") >= Events,
                TimeSpan.FromSeconds(90),
                () => $"the worker did not write {Events} events: {Log()}");
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Equal(Events, Sum(metrics, "streaming_events_written_total"));
            Assert.Equal(1, Sum(metrics, "streaming_events_rejected_total"));
            var samples = string.Join('\n', metrics.Split('\n').Where(l => !l.StartsWith('#')));
            var exported = ExportedMetrics.ReferencedIn(samples).ToHashSet(StringComparer.Ordinal);
            Assert.Subset(ExportedMetrics.Names.ToHashSet(), exported);
            Assert.Contains("streaming_events_rejected_total", exported);

            // ... and as an independent reader finds in the bucket: every table equal, value for value and column by
            // name, to the lake `convert` makes of the same lines.
            var (download, errorFiles) = await DownloadLakeAsync();
            Assert.True(errorFiles >= 1, "no file under _errors/");
            var differences = await DifferencesFromConvertAsync(Path.Combine(download, _prefix));
            Assert.True(differences.Count == 0, string.Join('\n', differences));

            // SIGTERM: flush, checkpoint, release, exit 0, within the grace period the chart gives the pod.
            var grace = rendered.PodSpec.GetProperty("terminationGracePeriodSeconds").GetInt32();
            var stopping = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", worker.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(grace)))
            {
                await worker.WaitForExitAsync(cts.Token);
            }

            Assert.True(worker.ExitCode == 0, $"exit {worker.ExitCode} after {stopping.Elapsed}: {Log()}");
            var options = new DynamoDbLeaseStoreOptions { TableName = "streaming-leases", ServiceUrl = _stack.DynamoDbEndpoint.ToString(), Region = LocalAwsStack.Region };
            using var leases = new DynamoDbLeaseStore(DynamoDbLeaseClientFactory.Create(options, new Amazon.Runtime.BasicAWSCredentials(LocalAwsStack.AccessKeyId, LocalAwsStack.SecretAccessKey)), options);
            var held = await leases.ListAsync(CancellationToken.None);
            Assert.Equal(2, held.Count);
            Assert.All(held, l => Assert.Null(l.Owner));
            Assert.Equal(before, Listing(app));
            // The heap cap is applied in the native build too (the figure logged is the GC's own, read back).
            var heapMiB = Streaming.Core.Configuration.MemoryBounds.HeapLimit(new Streaming.Core.Configuration.LakeOptions().MemoryBudget) / (1024 * 1024);
            Assert.True(Log().Contains($"Managed heap limited to {heapMiB} MiB", StringComparison.Ordinal), Log());
            Assert.DoesNotContain("Could not move the managed heap limit", Log(), StringComparison.Ordinal);
            await CheckCommandsAgainstTheBuildAsync(app);
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }
        }
    }

    /// <summary>The Dockerfile's publish line, run as the build stage runs it (sh -c, TARGETARCH set), into <paramref name="output"/>.</summary>
    private async Task PublishAsync(string output)
    {
        var joined = Dockerfile.Replace("\\\n", " ", StringComparison.Ordinal);
        var match = PublishLine().Match(joined);
        Assert.True(match.Success, "docker/Dockerfile has no RUN ... dotnet publish line");
        var command = match.Groups["command"].Value.Trim();
        Assert.Contains("-c Release", command, StringComparison.Ordinal);
        Assert.DoesNotContain("ReadyToRun", command, StringComparison.Ordinal);
        Assert.Matches(@"\s-o /app$", command);
        command = command[..^"/app".Length] + $"'{output}'";
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
        var result = await ToolResult.RunAsync("/bin/sh", ["-c", command], tools.RepositoryRoot, new Dictionary<string, string> { ["TARGETARCH"] = arch }, TimeSpan.FromMinutes(8));
        Assert.True(result.ExitCode == 0, $"{command} failed: {result.StandardOutput}{result.StandardError}");
    }

    /// <summary>
    /// The publish made one native executable (Native AOT, PublishAot in the CLI project): an ELF file, no managed
    /// entry assembly and no runtimeconfig.json to carry settings (the runtime settings are compiled in).
    /// </summary>
    private static void CheckNativeExecutable(string app)
    {
        var entrypoint = Path.Combine(app, "streaming");
        Assert.True(File.Exists(entrypoint), "no executable: ENTRYPOINT [\"streaming\"] needs it");
        var magic = new byte[4];
        using (var file = File.OpenRead(entrypoint))
        {
            file.ReadExactly(magic);
        }

        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, magic);
        Assert.False(File.Exists(Path.Combine(app, "streaming.dll")), "streaming.dll published: not a Native AOT build");
        Assert.False(File.Exists(Path.Combine(app, "streaming.runtimeconfig.json")), "runtimeconfig.json published: not a Native AOT build");
    }

    /// <summary>
    /// The published executable's other commands agree with the build the rest of the tests run (`dotnet
    /// streaming.dll`): convert writes the same bytes under the same names, and ddl and query print the same text.
    /// </summary>
    private async Task CheckCommandsAgainstTheBuildAsync(string app)
    {
        var cli = typeof(Streaming.Cli.Program).Assembly.Location;
        var native = Path.Combine(app, "streaming");
        var events = Path.Combine(_scratch, "events.ndjson");
        // The build's lake of the same lines is the reference DifferencesFromConvertAsync made.
        var (built, published) = (Path.Combine(_scratch, "reference"), Path.Combine(_scratch, "lake-published"));
        Assert.True(Directory.Exists(built), "no reference lake: DifferencesFromConvertAsync runs first");
        var convertPublished = await ToolResult.RunAsync(native, ["convert", events, "--lake", published, "--json"], _scratch);
        Assert.True(convertPublished.ExitCode == 0, convertPublished.StandardError);
        Assert.Equal(Digests(built), Digests(published));
        using (var summary = JsonDocument.Parse(convertPublished.StandardOutput))
        {
            Assert.Equal(Events, summary.RootElement.GetProperty("rows").GetInt64());
            Assert.Equal(1, summary.RootElement.GetProperty("rejected").GetInt64());
            Assert.Equal(1, summary.RootElement.GetProperty("rejected_by_reason").GetProperty("invalid_json").GetInt64());
        }

        foreach (var args in new[]
        {
            new[] { "ddl", "--lake", published, "--location", "s3://bucket/lake/" },
            ["ddl", "--lake", published, "--location", "s3://bucket/lake/", "--format", "terraform"],
            ["query", "--lake", published, "SELECT * FROM payment ORDER BY id LIMIT 20"],
            ["query", "--lake", published, "SELECT type, count(*) AS n, min(date) AS first, max(user_id) AS last_user FROM user_registration GROUP BY type"],
            ["generate", "-n", "50", "--seed", "7"],
        })
        {
            var fromBuild = await ToolResult.RunAsync("dotnet", [cli, .. args], _scratch);
            var fromPublished = await ToolResult.RunAsync(native, args, _scratch);
            Assert.True(fromPublished.ExitCode == 0, $"{string.Join(' ', args)}: {fromPublished.StandardError}");
            Assert.False(string.IsNullOrWhiteSpace(fromPublished.StandardOutput), string.Join(' ', args));
            Assert.Equal(fromBuild.StandardOutput, fromPublished.StandardOutput);
        }
    }

    /// <summary>Every file under <paramref name="lake"/> with its SHA-256, by relative path.</summary>
    private static List<string> Digests(string lake) => [.. Directory.EnumerateFiles(lake, "*", SearchOption.AllDirectories)
        .Select(f => $"{Path.GetRelativePath(lake, f)} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}")
        .Order(StringComparer.Ordinal)];

    private static void MakeReadOnly(string app)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(app, "*", SearchOption.AllDirectories).Append(app))
        {
            var executable = Directory.Exists(path) || Path.GetFileName(path) == "streaming";
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(executable ? "555" : "444", 8));
        }
    }

    private static string Listing(string app) => string.Join('\n', Directory.EnumerateFileSystemEntries(app, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal).Select(p => $"{p} {(File.Exists(p) ? new FileInfo(p).Length : 0)}"));

    private (int Uid, int Gid) ImageUser()
    {
        var user = PublishUser().Match(Dockerfile);
        return (int.Parse(user.Groups["uid"].Value, CultureInfo.InvariantCulture), int.Parse(user.Groups["gid"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>ENV of the runtime stage, as Docker would set it.</summary>
    private Dictionary<string, string> ImageEnvironment(string app)
    {
        var runtime = Dockerfile[Dockerfile.IndexOf(" AS runtime", StringComparison.Ordinal)..].Replace("\\\n", " ", StringComparison.Ordinal);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in runtime.Split('\n').Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)))
        {
            foreach (Match pair in EnvPair().Matches(line[4..]))
            {
                environment[pair.Groups["key"].Value] = pair.Groups["value"].Value;
            }
        }

        Assert.Contains("/app", environment["PATH"].Split(':'));
        environment["PATH"] = string.Join(':', environment["PATH"].Split(':').Select(p => p == "/app" ? app : p));
        return environment;
    }

    /// <summary>The rendered container: its args and environment, the image's ENV, the emulators' endpoints; as the image's user.</summary>
    private Process StartAsImageUser(string app, Rendered rendered, int port, int uid, int gid)
    {
        var info = new ProcessStartInfo
        {
            WorkingDirectory = app,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var entrypoint = Path.Combine(app, "streaming");
        if (Unprivileged.RunningAsRoot)
        {
            info.FileName = Unprivileged.Setpriv!;
            foreach (var a in new[] { $"--reuid={uid}", $"--regid={gid}", "--clear-groups", "--", entrypoint })
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            info.FileName = entrypoint;
        }

        foreach (var a in rendered.Args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Clear();
        foreach (var (key, value) in ImageEnvironment(app))
        {
            info.Environment[key] = value;
        }

        foreach (var variable in rendered.Container.GetProperty("env").EnumerateArray())
        {
            var name = variable.GetProperty("name").GetString()!;
            info.Environment[name] = variable.TryGetProperty("value", out var value)
                ? value.GetString()
                : variable.GetProperty("valueFrom").GetProperty("fieldRef").GetProperty("fieldPath").GetString() == "metadata.name" ? "lake-streaming-7d9f-x2x4q" : throw new InvalidOperationException($"{name}: unknown valueFrom");
        }

        // What EKS gives the pod (IRSA credentials, region) stood in for by the emulators; the port is free here.
        info.Environment["AWS_ACCESS_KEY_ID"] = LocalAwsStack.AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.SecretAccessKey;
        info.Environment["AWS_REGION"] = LocalAwsStack.Region;
        info.Environment["AWS_ENDPOINT_URL_KINESIS"] = _stack.KinesisEndpoint.ToString();
        info.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = _stack.DynamoDbEndpoint.ToString();
        info.Environment["AWS_ENDPOINT_URL_S3"] = _stack.S3Endpoint.ToString();
        info.Environment["Streaming__S3__ForcePathStyle"] = "true";
        info.Environment["Streaming__Operations__HttpPort"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["Streaming__Consumer__MaxBufferAge"] = "00:00:02";
        return Process.Start(info)!;
    }

    /// <summary>The demo's events and one line that is not JSON, put with the CLI's produce command.</summary>
    private async Task ProduceAsync()
    {
        var cli = typeof(Streaming.Cli.Program).Assembly.Location;
        var file = Path.Combine(_scratch, "events.ndjson");
        var generate = await ToolResult.RunAsync("dotnet", [cli, "generate", "-n", Events.ToString(CultureInfo.InvariantCulture), "-o", file], _scratch);
        Assert.True(generate.ExitCode == 0, generate.StandardError);
        await File.AppendAllTextAsync(file, "this line is not JSON\n");
        var environment = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = LocalAwsStack.AccessKeyId, ["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.SecretAccessKey };
        var produce = await ToolResult.RunAsync("dotnet", [cli, "produce", "--stream", _stream, "--file", file, "--endpoint", _stack.KinesisEndpoint.ToString(), "--region", LocalAwsStack.Region, "--aggregate"], _scratch, environment);
        Assert.True(produce.ExitCode == 0, produce.StandardError);
    }

    /// <summary>Downloads the lake's Parquet files from S3; counts its error files.</summary>
    private async Task<(string Folder, int ErrorFiles)> DownloadLakeAsync()
    {
        var download = Path.Combine(_scratch, "download");
        using var s3 = new AmazonS3Client(
            new Amazon.Runtime.BasicAWSCredentials(LocalAwsStack.AccessKeyId, LocalAwsStack.SecretAccessKey),
            new AmazonS3Config { ServiceURL = _stack.S3Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = LocalAwsStack.Region });
        var errorFiles = 0;
        var request = new ListObjectsV2Request { BucketName = "lake", Prefix = _prefix + "/" };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            foreach (var item in page.S3Objects ?? [])
            {
                if (item.Key.Contains("/_errors/", StringComparison.Ordinal))
                {
                    errorFiles++;
                }

                if (!item.Key.EndsWith(".parquet", StringComparison.Ordinal))
                {
                    continue;
                }

                using var response = await s3.GetObjectAsync("lake", item.Key);
                var target = Path.Combine(download, item.Key);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using var file = File.Create(target);
                await response.ResponseStream.CopyToAsync(file);
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return (download, errorFiles);
    }

    /// <summary>
    /// Converts the produced lines with <c>streaming convert</c> and compares each of its tables with the same table
    /// of <paramref name="lake"/> in DuckDB: the same column names, and no row of one missing from the other
    /// (EXCEPT ALL both ways, duplicates counted).
    /// </summary>
    private async Task<List<string>> DifferencesFromConvertAsync(string lake)
    {
        var reference = Path.Combine(_scratch, "reference");
        var cli = typeof(Streaming.Cli.Program).Assembly.Location;
        var convert = await ToolResult.RunAsync("dotnet", [cli, "convert", Path.Combine(_scratch, "events.ndjson"), "--lake", reference, "--quiet"], _scratch);
        Assert.True(convert.ExitCode == 0, convert.StandardError);

        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        static string Read(string folder) =>
            $"read_parquet('{folder.Replace("'", "''", StringComparison.Ordinal)}/**/*.parquet', hive_partitioning = true, union_by_name = true)";
        List<string> Columns(string folder)
        {
            using var describe = connection.CreateCommand();
            describe.CommandText = $"DESCRIBE SELECT * FROM {Read(folder)}";
            using var reader = describe.ExecuteReader();
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            return [.. names.Order(StringComparer.Ordinal)];
        }

        long Missing(string from, string to, IEnumerable<string> columns)
        {
            var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM (SELECT {list} FROM {Read(from)} EXCEPT ALL SELECT {list} FROM {Read(to)})";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        var differences = new List<string>();
        var tables = Directory.GetDirectories(reference).Select(Path.GetFileName).Where(t => !t!.StartsWith('_')).Order(StringComparer.Ordinal).ToList();
        var actual = Directory.GetDirectories(lake).Select(Path.GetFileName).Where(t => !t!.StartsWith('_')).Order(StringComparer.Ordinal).ToList();
        if (tables.Count == 0)
        {
            differences.Add("convert made no table: nothing to compare");
        }

        if (!tables.SequenceEqual(actual))
        {
            differences.Add($"tables: convert made [{string.Join(", ", tables)}], the worker [{string.Join(", ", actual)}]");
        }

        foreach (var table in tables.Intersect(actual))
        {
            var (expectedFolder, actualFolder) = (Path.Combine(reference, table!), Path.Combine(lake, table!));
            var columns = Columns(expectedFolder);
            if (!columns.SequenceEqual(Columns(actualFolder)))
            {
                differences.Add($"{table}: columns [{string.Join(", ", columns)}] against [{string.Join(", ", Columns(actualFolder))}]");
                continue;
            }

            var (lost, extra) = (Missing(expectedFolder, actualFolder, columns), Missing(actualFolder, expectedFolder, columns));
            if (lost + extra > 0)
            {
                differences.Add($"{table}: {lost} rows of convert's lake missing from the worker's, {extra} rows the worker wrote that convert did not");
            }
        }

        return differences;
    }

    private static async Task<int> StatusAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException)
        {
            return 0;
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan patience, Func<string> explain)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < patience, explain());
            await Task.Delay(500);
        }
    }

    /// <summary>The sum of every sample of one metric in a Prometheus text scrape.</summary>
    private static long Sum(string scrape, string metric) => (long)scrape.Split('\n')
        .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static int NextFreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int ProcessUid(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"RUN [^\n]*?(?<command>dotnet publish [^\n]*)")]
    private static partial Regex PublishLine();

    [GeneratedRegex(@"^USER (?<uid>[0-9]+):(?<gid>[0-9]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PublishUser();

    [GeneratedRegex(@"(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>\S+)")]
    private static partial Regex EnvPair();
}
