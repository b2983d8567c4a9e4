using System.Diagnostics;

namespace Streaming.TestSupport.Emulators;

/// <summary>
/// The local AWS stand-ins pinned in tools/emulators (kinesis-local, dynalite, s3rver), each started on demand
/// as a child process on a free loopback port. Each can be stopped and started again on the same port, which is
/// how tests simulate an outage. Disposing kills every process tree and deletes the stack's scratch folder.
/// </summary>
public sealed class LocalAwsStack : IAsyncDisposable
{
    /// <summary>Credentials every emulator accepts (s3rver accepts only these).</summary>
    public const string AccessKeyId = "S3RVER";

    public const string SecretAccessKey = "S3RVER";

    public const string Region = "us-east-1";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Dictionary<EmulatorKind, EmulatorProcess> _emulators = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _emulatorsDirectory;
    private bool _disposed;

    public LocalAwsStack(string? repositoryRoot = null)
    {
        RepositoryRoot = repositoryRoot ?? Emulators.RepositoryRoot.Find();
        _emulatorsDirectory = Path.Combine(RepositoryRoot, "tools", "emulators");
        WorkDirectory = Path.Combine(Path.GetTempPath(), "streaming-emulators", $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(WorkDirectory);
        S3Directory = Path.Combine(WorkDirectory, "s3");
        DynamoDbDirectory = Path.Combine(WorkDirectory, "dynamodb");
        AppDomain.CurrentDomain.ProcessExit += KillAllOnExit;
    }

    public string RepositoryRoot { get; }

    /// <summary>Scratch folder of this stack: emulator logs, the S3 data folder, the DynamoDB store.</summary>
    public string WorkDirectory { get; }

    /// <summary>Where s3rver keeps buckets; it survives a stop and start of the S3 emulator.</summary>
    public string S3Directory { get; }

    /// <summary>Where dynalite keeps tables when started persistent.</summary>
    public string DynamoDbDirectory { get; }

    public Uri KinesisEndpoint => EndpointOf(EmulatorKind.Kinesis);

    public Uri DynamoDbEndpoint => EndpointOf(EmulatorKind.DynamoDb);

    public Uri S3Endpoint => EndpointOf(EmulatorKind.S3);

    /// <summary>Starts kinesis-local (plain HTTP). <paramref name="initializeStreams"/> is INITIALIZE_STREAMS, e.g. "events:4".</summary>
    public Task<Uri> StartKinesisAsync(string? initializeStreams = null, CancellationToken cancellationToken = default) =>
        StartAsync(EmulatorKind.Kinesis, () => CreateKinesis(initializeStreams), cancellationToken);

    /// <summary>Starts dynalite; when <paramref name="persistent"/>, tables live on disk and survive a restart.</summary>
    public Task<Uri> StartDynamoDbAsync(bool persistent = false, CancellationToken cancellationToken = default) =>
        StartAsync(EmulatorKind.DynamoDb, () => CreateDynamoDb(persistent), cancellationToken);

    /// <summary>Starts s3rver with path-style access; <paramref name="buckets"/> are created at start-up.</summary>
    public Task<Uri> StartS3Async(IReadOnlyList<string>? buckets = null, CancellationToken cancellationToken = default) =>
        StartAsync(EmulatorKind.S3, () => CreateS3(buckets ?? []), cancellationToken);

    /// <summary>Starts an emulator again after <see cref="StopAsync"/>, on the port it had before.</summary>
    public async Task<Uri> RestartAsync(EmulatorKind kind, CancellationToken cancellationToken = default)
    {
        var emulator = Get(kind) ?? throw new InvalidOperationException($"{kind} was never started");
        return await emulator.StartAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills the emulator's process tree; its endpoint then refuses connections until restarted.</summary>
    public async Task StopAsync(EmulatorKind kind)
    {
        if (Get(kind) is { } emulator)
        {
            await emulator.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Freezes the emulator (SIGSTOP) until the returned scope is disposed (SIGCONT): it keeps its port and accepts
    /// connections, but answers nothing, like a hung server. Other tests share the stack, so dispose the scope in a
    /// finally (a <c>using</c>) whatever happens.
    /// </summary>
    public PausedEmulator Pause(EmulatorKind kind)
    {
        var emulator = Get(kind) ?? throw new InvalidOperationException($"{kind} was never started");
        emulator.Signal("STOP");
        return new PausedEmulator(() => emulator.Signal("CONT"));
    }

    public bool IsRunning(EmulatorKind kind) => Get(kind)?.IsRunning ?? false;

    /// <summary>The last lines the emulator wrote, for failure messages.</summary>
    public string RecentOutput(EmulatorKind kind) => Get(kind)?.RecentOutput ?? string.Empty;

    public string? LogPath(EmulatorKind kind) => Get(kind)?.LogPath;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= KillAllOnExit;
        List<EmulatorProcess> emulators;
        lock (_emulators)
        {
            emulators = [.. _emulators.Values];
            _emulators.Clear();
        }

        foreach (var emulator in emulators)
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log still open elsewhere; the temp folder is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }

        _gate.Dispose();
    }

    private async Task<Uri> StartAsync(EmulatorKind kind, Func<EmulatorProcess> create, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EmulatorInstaller.EnsureInstalledAsync(_emulatorsDirectory, InstallTimeout, cancellationToken).ConfigureAwait(false);
            var emulator = Get(kind);
            if (emulator is null)
            {
                emulator = create();
                lock (_emulators)
                {
                    _emulators[kind] = emulator;
                }
            }

            return await emulator.StartAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private EmulatorProcess? Get(EmulatorKind kind)
    {
        lock (_emulators)
        {
            return _emulators.GetValueOrDefault(kind);
        }
    }

    private Uri EndpointOf(EmulatorKind kind) =>
        Get(kind)?.Endpoint ?? throw new InvalidOperationException($"{kind} is not started; call Start{kind}Async first");

    private string NodeModule(params string[] path) => Path.Combine([_emulatorsDirectory, "node_modules", .. path]);

    private EmulatorProcess CreateKinesis(string? initializeStreams)
    {
        var packageDirectory = NodeModule("kinesis-local");
        return new EmulatorProcess(
            "kinesis-local",
            port =>
            {
                // kinesis-mock reads server.json (its TLS certificate) from the working directory, which is why it
                // runs from its package folder; the TLS port is unused but must be free.
                var info = NodeProcess(packageDirectory, Path.Combine(packageDirectory, "main.js"));
                info.Environment["KINESIS_MOCK_PLAIN_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                info.Environment["KINESIS_MOCK_TLS_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
                info.Environment["SHARD_LIMIT"] = "1000";
                info.Environment["ON_DEMAND_STREAM_COUNT_LIMIT"] = "100";
                info.Environment["LOG_LEVEL"] = "WARN";
                info.Environment["AWS_REGION"] = Region;
                if (!string.IsNullOrEmpty(initializeStreams))
                {
                    info.Environment["INITIALIZE_STREAMS"] = initializeStreams;
                }

                return info;
            },
            "/healthcheck",
            Path.Combine(WorkDirectory, "kinesis-local.log"));
    }

    private EmulatorProcess CreateDynamoDb(bool persistent)
    {
        return new EmulatorProcess(
            "dynalite",
            port =>
            {
                var info = NodeProcess(_emulatorsDirectory, NodeModule("dynalite", "cli.js"));
                info.ArgumentList.Add("--host");
                info.ArgumentList.Add("127.0.0.1");
                info.ArgumentList.Add("--port");
                info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (persistent)
                {
                    Directory.CreateDirectory(DynamoDbDirectory);
                    info.ArgumentList.Add("--path");
                    info.ArgumentList.Add(DynamoDbDirectory);
                }

                return info;
            },
            "/",
            Path.Combine(WorkDirectory, "dynalite.log"));
    }

    private EmulatorProcess CreateS3(IReadOnlyList<string> buckets)
    {
        return new EmulatorProcess(
            "s3rver",
            port =>
            {
                Directory.CreateDirectory(S3Directory);
                var info = NodeProcess(_emulatorsDirectory, NodeModule("s3rver", "bin", "s3rver.js"));
                info.ArgumentList.Add("--directory");
                info.ArgumentList.Add(S3Directory);
                info.ArgumentList.Add("--address");
                info.ArgumentList.Add("127.0.0.1");
                info.ArgumentList.Add("--port");
                info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                info.ArgumentList.Add("--no-vhost-buckets");

                // s3rver's list continuation tokens use DES, which Node 20's OpenSSL 3 keeps in its legacy provider.
                info.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
                foreach (var bucket in buckets)
                {
                    info.ArgumentList.Add("--configure-bucket");
                    info.ArgumentList.Add(bucket);
                }

                return info;
            },
            "/",
            Path.Combine(WorkDirectory, "s3rver.log"));
    }

    private static ProcessStartInfo NodeProcess(string workingDirectory, string script)
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(script);
        return info;
    }

    private void KillAllOnExit(object? sender, EventArgs e)
    {
        lock (_emulators)
        {
            foreach (var emulator in _emulators.Values)
            {
                emulator.KillNow();
            }
        }
    }
}
