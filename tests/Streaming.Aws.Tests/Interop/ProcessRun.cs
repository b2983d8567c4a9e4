using System.Diagnostics;
using System.Text;

namespace Streaming.Aws.Tests.Interop;

/// <summary>What a child process printed and how it ended.</summary>
internal sealed record ProcessRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the process to its end, killing its tree if it outlives <paramref name="timeout"/>.</summary>
    public static async Task<ProcessRun> RunAsync(ProcessStartInfo info, TimeSpan timeout)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.StandardOutputEncoding = Encoding.UTF8;
        info.StandardErrorEncoding = Encoding.UTF8;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException(
                $"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}:{Environment.NewLine}{await error}");
        }

        return new ProcessRun(process.ExitCode, await output, await error);
    }

    /// <summary>For assertion messages: the exit code and the tail of standard error.</summary>
    public string Describe() => $"exit code {ExitCode}; stderr: {(Error.Length > 4000 ? "..." + Error[^4000..] : Error)}";
}
