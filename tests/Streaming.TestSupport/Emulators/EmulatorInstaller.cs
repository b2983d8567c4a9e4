using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Streaming.TestSupport.Emulators;

/// <summary>
/// Makes sure a pinned npm folder of the repository (tools/emulators, tools/kpl-reference) has in node_modules the
/// versions its package.json pins, running <c>npm ci</c> when it does not. A file lock serializes test processes that
/// start at the same time.
/// </summary>
public static class EmulatorInstaller
{
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    public static async Task EnsureInstalledAsync(string emulatorsDirectory, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (IsInstalled(emulatorsDirectory))
        {
            return;
        }

        await InProcess.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var fileLock = await AcquireLockAsync(emulatorsDirectory, timeout, cancellationToken).ConfigureAwait(false);
            if (IsInstalled(emulatorsDirectory))
            {
                return;
            }

            await RunNpmCiAsync(emulatorsDirectory, timeout, cancellationToken).ConfigureAwait(false);
            if (!IsInstalled(emulatorsDirectory))
            {
                throw new InvalidOperationException($"npm ci finished but {emulatorsDirectory}/node_modules does not hold the pinned versions");
            }
        }
        finally
        {
            InProcess.Release();
        }
    }

    /// <summary>
    /// An install has finished and every dependency of package.json is in node_modules at exactly the pinned version.
    /// npm writes <c>node_modules/.package-lock.json</c> last (and <c>npm ci</c> first removes node_modules), so
    /// without it another process's install is still extracting packages: the top-level manifests can already be
    /// there while files deeper down are not.
    /// </summary>
    public static bool IsInstalled(string emulatorsDirectory)
    {
        if (!File.Exists(Path.Combine(emulatorsDirectory, "node_modules", ".package-lock.json")))
        {
            return false;
        }

        var manifest = Path.Combine(emulatorsDirectory, "package.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
        if (!document.RootElement.TryGetProperty("dependencies", out var dependencies))
        {
            return true;
        }

        foreach (var dependency in dependencies.EnumerateObject())
        {
            var installed = Path.Combine(emulatorsDirectory, "node_modules", dependency.Name, "package.json");
            if (!File.Exists(installed))
            {
                return false;
            }

            using var installedDocument = JsonDocument.Parse(File.ReadAllBytes(installed));
            var version = installedDocument.RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
            if (!string.Equals(version, dependency.Value.GetString(), StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<FileStream> AcquireLockAsync(string emulatorsDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The lock lives in the temp folder, not the work tree, so it never shows up in git status.
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(emulatorsDirectory))))[..16];
        var lockPath = Path.Combine(Path.GetTempPath(), $"streaming-emulators-{key}.lock");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunNpmCiAsync(string emulatorsDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("npm")
        {
            WorkingDirectory = emulatorsDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("npm did not start; is Node.js installed?");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm ci in {emulatorsDirectory} did not finish within {timeout}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"npm ci in {emulatorsDirectory} failed with exit code {process.ExitCode}:{Environment.NewLine}{await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)}");
        }
    }
}
