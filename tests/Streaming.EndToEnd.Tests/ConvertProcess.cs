using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Streaming.TestSupport.Emulators;

namespace Streaming.EndToEnd.Tests;

/// <summary>A real <c>streaming convert</c> process, pointed at the S3 emulator for its s3:// inputs.</summary>
internal sealed class ConvertProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ConvertProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public string Output => Read(_stdout);

    public string Error => Read(_stderr);

    public static ConvertProcess Start(Uri s3, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(Streaming.Cli.Program).Assembly.Location);
        info.ArgumentList.Add("convert");
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["AWS_ACCESS_KEY_ID"] = LocalAwsStack.AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.SecretAccessKey;
        info.Environment["Streaming__S3__ServiceUrl"] = s3.ToString();
        info.Environment["Streaming__S3__ForcePathStyle"] = "true";
        info.Environment["Streaming__S3__Region"] = LocalAwsStack.Region;
        return new ConvertProcess(Process.Start(info)!);
    }

    /// <summary>Runs to the end; returns the exit code.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(Uri s3, params string[] args)
    {
        using var process = Start(s3, args);
        var code = await process.WaitAsync();
        return (code, process.Output, process.Error);
    }

    public async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync();

        // The asynchronous readers deliver the last lines after the exit.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGINT, as Ctrl+C in a terminal.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would: no flush, no marker.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>Every file of a local lake, by relative path, with the SHA-256 of its bytes.</summary>
    public static SortedDictionary<string, string> Snapshot(string lake) =>
        new(Directory.EnumerateFiles(lake, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(lake, f).Replace('\\', '/'), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}
