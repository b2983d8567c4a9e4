using System.Text.Json;

namespace Streaming.Lake.Tests.Athena;

/// <summary>What a grammar said about one text: its errors (line, column, message), and for HCL the parsed JSON.</summary>
internal sealed record ValidationResult(string Name, IReadOnlyList<string> Errors, JsonElement? Json)
{
    public static ValidationResult From(JsonElement element) => new(
        element.GetProperty("name").GetString() ?? string.Empty,
        [.. element.GetProperty("errors").EnumerateArray().Select(e =>
            $"line {e.GetProperty("line").GetInt32()}, column {e.GetProperty("column").GetInt32()}: {e.GetProperty("message").GetString()}")],
        element.GetProperty("json").ValueKind == JsonValueKind.Null ? null : element.GetProperty("json").Clone());
}
