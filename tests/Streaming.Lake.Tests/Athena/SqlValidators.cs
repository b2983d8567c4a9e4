using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Streaming.TestSupport.Emulators;

namespace Streaming.Lake.Tests.Athena;

/// <summary>
/// Real grammars, not eyes: the Hive grammar (Athena DDL) and the Trino grammar (Athena queries) of dt-sql-parser, and
/// Terraform's HCL parser (@cdktf/hcl2json), pinned in tools/sql-validators and installed there by the first test that
/// needs them (<c>npm ci</c>). One node process checks a whole batch.
/// </summary>
internal static class SqlValidators
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    public static string Directory { get; } = Path.Combine(RepositoryRoot.Find(), "tools", "sql-validators");

    public static async Task<IReadOnlyList<ValidationResult>> CheckAsync(params ValidationRequest[] requests)
    {
        await EmulatorInstaller.EnsureInstalledAsync(Directory, InstallTimeout);
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in new[] { "--import", "./dir-import-hook.mjs", "validate.mjs" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start; is Node.js 20 installed?");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(requests.Select(r => new { kind = r.Kind, name = r.Name, text = r.Text })));
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(RunTimeout);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"validate.mjs exited {process.ExitCode}: {await stderr}");
        using var answer = JsonDocument.Parse(output);
        return [.. answer.RootElement.EnumerateArray().Select(ValidationResult.From)];
    }

    /// <summary>Checks one text and fails the test with the grammar's messages when it has errors.</summary>
    public static async Task<ValidationResult> AssertValidAsync(string kind, string name, string text)
    {
        var result = (await CheckAsync(new ValidationRequest(kind, name, text)))[0];
        Assert.True(result.Errors.Count == 0, $"{kind} grammar rejects {name}:{Environment.NewLine}{string.Join(Environment.NewLine, result.Errors)}{Environment.NewLine}{text}");
        return result;
    }
}
