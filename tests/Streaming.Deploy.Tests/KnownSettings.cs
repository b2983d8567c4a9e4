using System.Reflection;

namespace Streaming.Deploy.Tests;

/// <summary>
/// Every key <c>streaming run</c> accepts under <c>Streaming:</c>, read from the CLI's own list
/// (<c>Streaming.Cli.Commands.KnownKeys</c>, built from the option classes): a key outside it makes <c>run</c>
/// exit 2, so the chart must emit no other.
/// </summary>
public static class KnownSettings
{
    /// <summary>Keys the chart sets from somewhere else than <c>config</c>, or deliberately not at all, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotUnderConfig = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Streaming:Consumer:StreamName"] = "stream.name",
        ["Streaming:Leases:WorkerId"] = "the pod's name, through the downward API",
        ["Streaming:S3:Bucket"] = "the lake URI (run --lake s3://bucket/prefix)",
        ["Streaming:S3:Prefix"] = "the lake URI (run --lake s3://bucket/prefix)",
        ["Streaming:Kinesis:AccessKeyId"] = "static credentials: the chart uses IRSA; put keys in a Secret and extraEnvFrom",
        ["Streaming:Kinesis:SecretAccessKey"] = "static credentials: the chart uses IRSA; put keys in a Secret and extraEnvFrom",
        ["Streaming:Kinesis:SessionToken"] = "static credentials: the chart uses IRSA; put keys in a Secret and extraEnvFrom",
        ["Streaming:Athena:Database"] = "a setting of streaming ddl, not of run",
        ["Streaming:Athena:Location"] = "a setting of streaming ddl, not of run",
        ["Streaming:Athena:YearsAhead"] = "a setting of streaming ddl, not of run",
    };

    public static IReadOnlyList<string> All { get; } = Load();

    /// <summary>The keys <c>config</c> in values.yaml must offer, one for one.</summary>
    public static IEnumerable<string> UnderConfig => All.Where(k => !NotUnderConfig.ContainsKey(k));

    public static bool IsKnown(string key) => All.Contains(key, StringComparer.OrdinalIgnoreCase);

    /// <summary><c>Streaming__Lake__MemoryBudget</c> as the configuration key <c>Streaming:Lake:MemoryBudget</c>.</summary>
    public static string FromEnvironmentName(string name) => name.Replace("__", ":", StringComparison.Ordinal);

    private static List<string> Load()
    {
        var type = typeof(Streaming.Cli.Program).Assembly.GetType("Streaming.Cli.Commands.KnownKeys", throwOnError: true)!;
        var field = type.GetField("All", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("KnownKeys.All is gone: point the deploy tests at the CLI's list of keys");
        var lazy = (Lazy<IReadOnlyList<string>>)field.GetValue(null)!;
        return [.. lazy.Value];
    }
}
