using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streaming.Core.Schema;

/// <summary>The JSON form of a table schema in <c>_schemas/</c>: readable by tools (DDL generation, Glue).</summary>
public sealed class SchemaDocument
{
    [JsonPropertyName("table")]
    public string Table { get; set; } = string.Empty;

    [JsonPropertyName("version")]
    public int Version { get; set; }

    [JsonPropertyName("columns")]
    public List<SchemaColumn> Columns { get; set; } = [];

    [JsonPropertyName("partition_keys")]
    public List<SchemaColumn> PartitionKeys { get; set; } = [];

    public static SchemaDocument From(string table, int version, IEnumerable<ColumnDefinition> columns) => new()
    {
        Table = table,
        Version = version,
        Columns = columns.Select(c => new SchemaColumn { Name = c.Name, Type = c.Type.Name(), Since = c.SinceVersion }).ToList(),
        PartitionKeys = new[] { "year", "month", "day", "hour" }.Select(n => new SchemaColumn { Name = n, Type = "int", Since = 1 }).ToList(),
    };

    /// <summary>The columns, validated: known types, valid and unique names.</summary>
    public List<ColumnDefinition> ToColumns()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        return Columns.Select(c =>
        {
            if (!ColumnTypeNames.TryParse(c.Type, out var type))
            {
                throw new InvalidDataException($"schema of {Table} version {Version}: column {c.Name} has unknown type '{c.Type}'");
            }

            if (!Events.ColumnNames.IsValid(c.Name) || !names.Add(c.Name))
            {
                throw new InvalidDataException($"schema of {Table} version {Version} has an invalid or repeated column name '{c.Name}'");
            }

            return new ColumnDefinition(c.Name, type, c.Since);
        }).ToList();
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, SchemaJsonContext.Default.SchemaDocument);

    public static SchemaDocument Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, SchemaJsonContext.Default.SchemaDocument)
        ?? throw new InvalidDataException("schema document is null");
}

public sealed class SchemaColumn
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("since")]
    public int Since { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(SchemaDocument))]
internal sealed partial class SchemaJsonContext : JsonSerializerContext;
