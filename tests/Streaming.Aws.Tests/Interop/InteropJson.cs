using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streaming.Aws.Tests.Interop;

/// <summary>The JSON the Node scripts read and write: camelCase names, byte arrays as base64, absent rather than null.</summary>
internal static class InteropJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Line<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static List<T> ParseLines<T>(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonSerializer.Deserialize<T>(line, Options) ?? throw new InvalidOperationException($"null JSON line: {line}"))];
}
