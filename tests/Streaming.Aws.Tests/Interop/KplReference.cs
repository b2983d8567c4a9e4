using System.Diagnostics;
using Streaming.TestSupport.Emulators;

namespace Streaming.Aws.Tests.Interop;

/// <summary>
/// The reference KPL aggregator and deaggregator (npm aws-kinesis-agg, awslabs) pinned in tools/kpl-reference, and
/// the Node scripts there that put and read through it. The folder is installed on first use with <c>npm ci</c>, as
/// the emulators are, so nothing depends on a hand-installed copy.
/// </summary>
internal static class KplReference
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    public static string PackageDirectory { get; } = Path.Combine(RepositoryRoot.Find(), "tools", "kpl-reference");

    public static Task EnsureInstalledAsync(CancellationToken cancellationToken = default) =>
        EmulatorInstaller.EnsureInstalledAsync(PackageDirectory, InstallTimeout, cancellationToken);

    /// <summary><c>node script args...</c> in the package folder, so that require() finds its node_modules.</summary>
    public static ProcessStartInfo Node(string script, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = PackageDirectory };
        info.ArgumentList.Add(Path.Combine(PackageDirectory, script));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>Runs one of the stream scripts (put-aggregated.js, read-deaggregated.js) against kinesis-local.</summary>
    public static async Task<ProcessRun> RunStreamScriptAsync(string script, Uri endpoint, string stream, params string[] arguments)
    {
        await EnsureInstalledAsync();
        var info = Node(script, [.. arguments, "--stream", stream, "--endpoint", endpoint.ToString(), "--region", LocalAwsStack.Region]);
        info.Environment["AWS_ACCESS_KEY_ID"] = LocalAwsStack.AccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.SecretAccessKey;
        return await ProcessRun.RunAsync(info, ScriptTimeout);
    }
}
