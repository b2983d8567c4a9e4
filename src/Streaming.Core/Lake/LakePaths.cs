using System.Globalization;
using Streaming.Core.Events;

namespace Streaming.Core.Lake;

/// <summary>Every key of the lake is built here. Table names are validated, so no key escapes the root.</summary>
public static class LakePaths
{
    public const string ErrorsPrefix = "_errors";
    public const string SchemasPrefix = "_schemas";

    public static string DataFile(PartitionKey partition, string fileName)
    {
        EnsureTable(partition.Table);
        return $"{partition.Table}/{partition.HivePath}/{fileName}";
    }

    public static string ErrorFile(long hour, string fileName) => $"{ErrorsPrefix}/{PartitionKey.HourPath(hour)}/{fileName}";

    public static string SchemaVersion(string table, int version)
    {
        EnsureTable(table);
        return string.Create(CultureInfo.InvariantCulture, $"{SchemasPrefix}/{table}/v{version:D5}.json");
    }

    public static string LatestSchema(string table)
    {
        EnsureTable(table);
        return $"{SchemasPrefix}/{table}.json";
    }

    /// <summary>Reads a schema version key back: <c>_schemas/&lt;table&gt;/v00003.json</c>.</summary>
    public static bool TryParseSchemaVersion(string key, out string table, out int version)
    {
        table = string.Empty;
        version = 0;
        var parts = key.Split('/');
        if (parts.Length != 3 || parts[0] != SchemasPrefix || !TableNames.IsValid(parts[1]))
        {
            return false;
        }

        var file = parts[2];
        if (!file.StartsWith('v') || !file.EndsWith(".json", StringComparison.Ordinal)
            || !int.TryParse(file.AsSpan(1, file.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out version))
        {
            return false;
        }

        table = parts[1];
        return version > 0;
    }

    private static void EnsureTable(string table)
    {
        if (!TableNames.IsValid(table))
        {
            throw new ArgumentException($"'{table}' is not a valid table name", nameof(table));
        }
    }
}
