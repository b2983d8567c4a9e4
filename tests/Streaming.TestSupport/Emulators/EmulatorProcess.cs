using System.Diagnostics;

namespace Streaming.TestSupport.Emulators;

/// <summary>
/// One emulator child process: started on a free loopback port (kept across restarts so clients need no new
/// endpoint), ready once it answers HTTP, killed with its whole process tree.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private const int MaxStartAttempts = 5;

    private static readonly HttpClient Probe = new(new SocketsHttpHandler { UseProxy = false })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    private readonly Func<int, ProcessStartInfo> _startInfo;
    private readonly string _probePath;
    private readonly ProcessOutput _output;
    private readonly Lock _gate = new();
    private Process? _process;

    public EmulatorProcess(string name, Func<int, ProcessStartInfo> startInfo, string probePath, string logPath)
    {
        Name = name;
        _startInfo = startInfo;
        _probePath = probePath;
        _output = new ProcessOutput(logPath);
    }

    public string Name { get; }

    /// <summary>The port, fixed by the first successful start.</summary>
    public int? Port { get; private set; }

    public Uri? Endpoint => Port is { } port ? new Uri($"http://127.0.0.1:{port}") : null;

    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false };
            }
        }
    }

    public string RecentOutput => _output.Recent();

    public string LogPath => _output.LogPath;

    public async Task<Uri> StartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            return Endpoint!;
        }

        var keepPort = Port is not null;
        for (var attempt = 1; ; attempt++)
        {
            var port = Port ?? FreePort.Next();
            if (await TryStartAsync(port, timeout, cancellationToken).ConfigureAwait(false))
            {
                Port = port;
                return Endpoint!;
            }

            if (attempt >= MaxStartAttempts)
            {
                throw new InvalidOperationException(
                    $"{Name} could not bind a port after {attempt} attempts (last {port}).{Environment.NewLine}{RecentOutput}");
            }

            if (keepPort)
            {
                // A restart wants the same port; the killed process may still be releasing it.
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task StopAsync()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            _process = null;
        }

        if (process is null)
        {
            return;
        }

        KillTree(process);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _output.Add("harness", "process did not exit within 10 s of being killed");
        }

        _output.Add("harness", $"stopped (exit code {(process.HasExited ? process.ExitCode : -1)})");
        process.Dispose();
    }

    /// <summary>
    /// Sends <paramref name="signal"/> (<c>STOP</c>, <c>CONT</c>) to the emulator and its child processes. A stopped
    /// emulator keeps its port: the kernel still accepts connections and buffers requests, and nothing answers them,
    /// which is how a hung server looks to a client (unlike <see cref="StopAsync"/>, whose port refuses at once).
    /// </summary>
    public void Signal(string signal)
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
        }

        if (process is null)
        {
            throw new InvalidOperationException($"{Name} is not running");
        }

        var info = new ProcessStartInfo("/bin/kill") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add($"-{signal}");
        foreach (var pid in ProcessTree(process.Id))
        {
            info.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var kill = Process.Start(info)!;
        var error = kill.StandardError.ReadToEnd();
        kill.WaitForExit();
        _output.Add("harness", $"sent SIG{signal}");
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} of {Name} failed: {error}");
        }
    }

    /// <summary>Last resort when the test host exits without disposing: no waiting, no exceptions.</summary>
    public void KillNow()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
        }

        if (process is not null)
        {
            KillTree(process);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _output.Dispose();
    }

    /// <summary>The process and its descendants, from /proc (Linux).</summary>
    private static List<int> ProcessTree(int root)
    {
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            var tasks = $"/proc/{tree[i]}/task";
            if (!Directory.Exists(tasks))
            {
                continue;
            }

            foreach (var task in Directory.EnumerateDirectories(tasks))
            {
                try
                {
                    tree.AddRange(File.ReadAllText(Path.Combine(task, "children"))
                        .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                        .Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)));
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }
        }

        return tree.Distinct().ToList();
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>False when the port was taken (the emulator exited with EADDRINUSE); throws on any other failure.</summary>
    private async Task<bool> TryStartAsync(int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = _startInfo(port);
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = false;
        info.CreateNoWindow = true;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => _output.Add("out", e.Data);
        process.ErrorDataReceived += (_, e) => _output.Add("err", e.Data);
        _output.Add("harness", $"starting {info.FileName} {string.Join(' ', info.ArgumentList)} on port {port} in {info.WorkingDirectory}");
        if (!process.Start())
        {
            throw new InvalidOperationException($"{Name} did not start: {info.FileName}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_gate)
        {
            _process = process;
        }

        var url = new Uri($"http://127.0.0.1:{port}{_probePath}");
        var started = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                lock (_gate)
                {
                    _process = null;
                }

                var portTaken = _output.Contains("EADDRINUSE") || _output.Contains("Address already in use");
                process.Dispose();
                if (portTaken)
                {
                    _output.Add("harness", $"port {port} is taken");
                    return false;
                }

                throw new InvalidOperationException(
                    $"{Name} exited during start-up (log {LogPath}):{Environment.NewLine}{RecentOutput}");
            }

            if (await AnswersAsync(url, cancellationToken).ConfigureAwait(false) && !process.HasExited)
            {
                _output.Add("harness", $"ready after {started.ElapsedMilliseconds} ms");
                return true;
            }

            if (started.Elapsed > timeout)
            {
                await StopAsync().ConfigureAwait(false);
                throw new TimeoutException(
                    $"{Name} did not answer on {url} within {timeout} (log {LogPath}):{Environment.NewLine}{RecentOutput}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> AnswersAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Probe.GetAsync(url, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
