using System.IO.Compression;
using System.Text.Json;

namespace Streaming.EndToEnd.Tests;

/// <summary>Every error record of a local lake's <c>_errors</c>, with all its fields (<see cref="LakeDiff"/> compares only reason and bytes).</summary>
internal static class ErrorRecords
{
    public static IReadOnlyList<JsonElement> Read(string lake)
    {
        var errors = Path.Combine(lake, "_errors");
        if (!Directory.Exists(errors))
        {
            return [];
        }

        var records = new List<JsonElement>();
        foreach (var file in Directory.EnumerateFiles(errors, "*.json.gz", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            using var reader = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress));
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0)
                {
                    records.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
            }
        }

        return records;
    }

    public static string? Text(this JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long? Number(this JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
