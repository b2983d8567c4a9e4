using System.Text.Json;

namespace Streaming.Deploy.Tests;

/// <summary>What <c>helm template</c> rendered, parsed (YAML 1.1) and validated by tools/deploy/validate.mjs.</summary>
public sealed class Rendered(string yaml, JsonDocument json)
{
    public string Yaml { get; } = yaml;

    public IReadOnlyList<JsonElement> Documents { get; } = [.. json.RootElement.GetProperty("documents").EnumerateArray()];

    public IReadOnlyList<JsonElement> Results { get; } = [.. json.RootElement.GetProperty("results").EnumerateArray()];

    public IEnumerable<JsonElement> OfKind(string kind) => Documents.Where(d => d.GetProperty("kind").GetString() == kind);

    public JsonElement Single(string kind) => Assert.Single(OfKind(kind));

    public JsonElement Deployment => Single("Deployment");

    public JsonElement PodSpec => Deployment.GetProperty("spec").GetProperty("template").GetProperty("spec");

    public JsonElement Container => Assert.Single(PodSpec.GetProperty("containers").EnumerateArray());

    /// <summary>The container's plain environment variables (those with a value).</summary>
    public Dictionary<string, string> Environment => Container.GetProperty("env").EnumerateArray()
        .Where(e => e.TryGetProperty("value", out _))
        .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString()!, StringComparer.Ordinal);

    public IReadOnlyList<string> Args => [.. Container.GetProperty("args").EnumerateArray().Select(a => a.GetString()!)];

    public IEnumerable<string> Kinds => Documents.Select(d => d.GetProperty("kind").GetString()!);
}
