using System.Globalization;
using System.Text;
using Streaming.Core.Diagnostics;

namespace Streaming.Cli.Athena;

/// <summary>
/// Athena DDL (Hive dialect) for lake tables: one statement per Athena query, each ending with <c>;</c>, comments
/// saying where it came from and what was left out.
/// </summary>
internal static class HiveDdl
{
    private const string Indent = "  ";

    /// <summary>
    /// The script for <paramref name="tables"/>: their CREATE statements, or with <paramref name="since"/> their upgrade
    /// from that schema version; a blank line between tables.
    /// </summary>
    public static string Render(IReadOnlyList<AthenaTable> tables, string? database, int? since) =>
        string.Join("\n", tables.Select(t => since is { } version ? AddColumns(t, database, version) : Create(t, database)));

    /// <summary><c>CREATE EXTERNAL TABLE IF NOT EXISTS</c> with partition projection.</summary>
    public static string Create(AthenaTable table, string? database)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"-- {table.Name}: schema version {table.Version}; partitions projected for {table.Years.First}-{table.Years.Last}.\n");
        AppendOmitted(text, table.Name, table.Omitted);
        text.Append(CultureInfo.InvariantCulture, $"CREATE EXTERNAL TABLE IF NOT EXISTS {QualifiedName(database, table.Name)} (\n");
        AppendColumns(text, table.Columns);
        text.Append(")\n");
        text.Append("PARTITIONED BY (").AppendJoin(", ", AthenaNames.PartitionColumns.Select(p => $"{AthenaNames.Ddl(p)} int")).Append(")\n");
        text.Append("STORED AS PARQUET\n");
        text.Append("LOCATION ").Append(Literal(table.Location)).Append('\n');
        text.Append("TBLPROPERTIES (\n");
        var properties = table.Properties;
        for (var i = 0; i < properties.Count; i++)
        {
            text.Append(Indent).Append(Literal(properties[i].Key)).Append(" = ").Append(Literal(properties[i].Value));
            text.Append(i < properties.Count - 1 ? ",\n" : "\n");
        }

        text.Append(");\n");
        return text.ToString();
    }

    /// <summary>
    /// The upgrade of a table made from schema version <paramref name="since"/>: <c>ADD COLUMNS</c> for the columns
    /// added after it, then the new version in the table's properties. Only comments when nothing was added.
    /// </summary>
    public static string AddColumns(AthenaTable table, string? database, int since)
    {
        var text = new StringBuilder();
        var added = table.AddedAfter(since);
        if (table.Version <= since)
        {
            text.Append(CultureInfo.InvariantCulture, $"-- {table.Name}: nothing to add; the lake's schema is at version {table.Version}.\n");
            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"-- {table.Name}: from schema version {since} to {table.Version}.\n");
        AppendOmitted(text, table.Name, table.Omitted);
        var name = QualifiedName(database, table.Name);
        if (added.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"ALTER TABLE {name} ADD COLUMNS (\n");
            AppendColumns(text, added);
            text.Append(");\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"ALTER TABLE {name} SET TBLPROPERTIES ({Literal(AthenaTable.VersionProperty)} = {Literal(table.Version.ToString(CultureInfo.InvariantCulture))});\n");
        return text.ToString();
    }

    public static string QualifiedName(string? database, string table) =>
        database is null ? AthenaNames.Ddl(table) : $"{AthenaNames.Ddl(database)}.{AthenaNames.Ddl(table)}";

    private static void AppendColumns(StringBuilder text, IReadOnlyList<AthenaColumn> columns)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            text.Append(Indent).Append(AthenaNames.Ddl(columns[i].Name)).Append(' ').Append(columns[i].Type);
            text.Append(i < columns.Count - 1 ? ",\n" : "\n");
        }
    }

    private static void AppendOmitted(StringBuilder text, string table, IReadOnlyList<OmittedColumn> omitted)
    {
        foreach (var column in omitted)
        {
            text.Append(CultureInfo.InvariantCulture, $"-- Left out of {table}: column {Describe(column)}.\n");
        }
    }

    /// <summary>The column as a message shows it: its name as JSON text, so no byte of a hostile name reaches the output raw.</summary>
    public static string Describe(OmittedColumn column) => $"{JsonText.Quote(column.Name)} ({JsonText.Quote(column.Type)}): {column.Reason}";

    /// <summary>A Hive string literal; the locations are checked to hold neither quote nor backslash, this is a second guard.</summary>
    private static string Literal(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
