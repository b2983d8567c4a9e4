using System.Diagnostics;
using System.Text;
using Streaming.TestSupport.Emulators;

namespace Streaming.EndToEnd.Tests;

/// <summary>A real <c>streaming run</c> process, with fast lease timings so tests take seconds, not minutes.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    public static readonly TimeSpan FailoverTime = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan TakeInterval = TimeSpan.FromMilliseconds(500);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process, string id)
    {
        _process = process;
        Id = id;
    }

    public string Id { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a worker; without <paramref name="verbose"/> it logs as an operator runs it (warnings and errors only).</summary>
    public static WorkerProcess Start(StackFixture stack, string stream, string lake, string leaseTable, string id, int httpPort = 0, IDictionary<string, string>? environment = null, bool verbose = true)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(Streaming.Cli.Program).Assembly.Location);
        foreach (var a in new[]
        {
            "run", "--stream", stream, "--lake", lake, "--lease-table", leaseTable, "--worker-id", id,
            "--kinesis-endpoint", stack.Stack.KinesisEndpoint.ToString(), "--dynamodb-endpoint", stack.Stack.DynamoDbEndpoint.ToString(),
            "--region", LocalAwsStack.Region,
        })
        {
            info.ArgumentList.Add(a);
        }

        if (verbose)
        {
            info.ArgumentList.Add("--verbose");
        }

        info.Environment["AWS_ACCESS_KEY_ID"] = LocalAwsStack.AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.SecretAccessKey;
        info.Environment["Streaming__Leases__FailoverTime"] = FailoverTime.ToString();
        info.Environment["Streaming__Leases__RenewInterval"] = "00:00:01";
        info.Environment["Streaming__Leases__TakeInterval"] = TakeInterval.ToString();
        info.Environment["Streaming__Leases__ShardSyncInterval"] = "00:00:02";
        info.Environment["Streaming__Consumer__MaxBufferAge"] = "00:00:02";
        info.Environment["Streaming__Consumer__IdleInterval"] = "00:00:00.3";
        info.Environment["Streaming__Consumer__ReadInterval"] = "00:00:00.2";
        info.Environment["Streaming__Operations__HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Streaming__Operations__HttpAddress"] = "127.0.0.1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var worker = new WorkerProcess(process, id);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>The lines written so far on both streams, blank ones left out.</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Waits for the process to end by itself; fails the test with its output when it does not within <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"worker {Id} still runs after {timeout}:\n{Output}");
        }

        // Without a timeout, WaitForExit also waits until the redirected output has been read to its end.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no flush, no checkpoint, no release.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <summary>The most resident memory the worker has used so far (Linux's VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no VmHWM for process {_process.Id}");
    }

    /// <summary>SIGTERM: the worker flushes, checkpoints and releases its leases.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        await SendSigtermAsync();
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM and returns at once, so that a test can time the stop or watch it.</summary>
    public async Task SendSigtermAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill!.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
