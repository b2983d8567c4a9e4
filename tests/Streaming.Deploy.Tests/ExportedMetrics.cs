using System.Text.RegularExpressions;
using Streaming.TestSupport.Emulators;

namespace Streaming.Deploy.Tests;

/// <summary>
/// The Prometheus names of the instruments in src/Streaming.Core/Diagnostics, as the OpenTelemetry Prometheus
/// exporter writes them: dots become underscores, the unit is appended (By: bytes, s: seconds, ms: milliseconds;
/// annotations like {record} add nothing) unless the name already ends with it, counters get _total, histograms
/// _bucket, _sum and _count.
/// </summary>
public static partial class ExportedMetrics
{
    public static IReadOnlySet<string> Names { get; } = Load();

    /// <summary>Every streaming_* series name a PromQL expression or a dashboard refers to.</summary>
    public static IEnumerable<string> ReferencedIn(string text) => SeriesName().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal);

    private static HashSet<string> Load()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var folder = Path.Combine(RepositoryRoot.Find(), "src", "Streaming.Core", "Diagnostics");
        foreach (var file in Directory.GetFiles(folder, "*.cs"))
        {
            foreach (Match m in Instrument().Matches(File.ReadAllText(file)))
            {
                var name = m.Groups["name"].Value.Replace('.', '_');
                var unit = m.Groups["unit"].Value switch
                {
                    "By" => "bytes",
                    "s" => "seconds",
                    "ms" => "milliseconds",
                    var u when u.StartsWith('{') => string.Empty,
                    var u => throw new InvalidOperationException($"unit {u} of {m.Groups["name"].Value}: teach this test how the exporter names it"),
                };
                if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
                {
                    name += "_" + unit;
                }

                switch (m.Groups["kind"].Value)
                {
                    case "Counter":
                        names.Add(name + "_total");
                        break;
                    case "Histogram":
                        names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
                        break;
                    default:
                        names.Add(name);
                        break;
                }
            }
        }

        return names;
    }

    [GeneratedRegex(@"Create(?<kind>Counter|Histogram|ObservableGauge|Gauge|UpDownCounter)(<\w+>)?\(\s*""(?<name>streaming\.[a-z_.]+)""\s*,\s*(\(\)\s*=>[^,]+,\s*)?""(?<unit>[^""]*)""")]
    private static partial Regex Instrument();

    [GeneratedRegex(@"\bstreaming_[a-z_]+\b")]
    private static partial Regex SeriesName();
}
