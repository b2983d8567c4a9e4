using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Streaming.Benchmarks.DuckDb;

/// <summary>
/// What Athena would bill a query for: the compressed bytes of the column chunks it reads. Athena (Trino) reads only
/// the columns a query references, from every file of the tables it names (no partition filter in docs/queries).
/// <list type="bullet">
/// <item><c>query-columns &lt;lake&gt; &lt;query.sql&gt;...</c>: per query and table, the columns DuckDB's planner
/// pushes into the table's Parquet scan (<c>EXPLAIN (FORMAT json)</c>, "Projections"). Each table is planned on its own:
/// it alone is a Parquet view, the others are empty tables of the same shape, so every Parquet scan in the plan is it.</item>
/// <item><c>scan-bytes &lt;columns.tsv&gt; &lt;lake&gt;</c>: per query, the sum of <c>total_compressed_size</c> from
/// <c>parquet_metadata()</c> over those columns in all files of those tables. A lake in DuckDB's COPY layout
/// (<c>type=&lt;table&gt;/</c>, <c>params</c> as a struct) is read with <c>params.&lt;column&gt;</c> for a column
/// that is not top-level.</item>
/// </list>
/// </summary>
internal static class QueryScanBytes
{
    public static int Columns(string lake, IReadOnlyList<string> queryFiles)
    {
        var tables = Directory.EnumerateDirectories(lake).Select(Path.GetFileName).OfType<string>()
            .Where(t => !t.StartsWith('_') && Directory.EnumerateFiles(Path.Combine(lake, t), "*.parquet", SearchOption.AllDirectories).Any())
            .Order(StringComparer.Ordinal).ToList();
        Console.WriteLine("query\ttable\tcolumns");
        foreach (var file in queryFiles)
        {
            var sql = File.ReadAllText(file);
            var query = Path.GetFileNameWithoutExtension(file);
            foreach (var table in tables)
            {
                using var connection = new DuckDBConnection("Data Source=:memory:");
                connection.Open();
                foreach (var other in tables)
                {
                    var source = $"read_parquet('{Glob(lake, other)}', hive_partitioning = true, union_by_name = true)";
                    Execute(connection, other == table
                        ? $"CREATE VIEW \"{other}\" AS SELECT * FROM {source}"
                        : $"CREATE TABLE \"{other}\" AS SELECT * FROM {source} LIMIT 0");
                }

                using var command = connection.CreateCommand();
                command.CommandText = $"EXPLAIN (FORMAT json) {sql}";
                using var reader = command.ExecuteReader();
                var columns = new SortedSet<string>(StringComparer.Ordinal);
                while (reader.Read())
                {
                    using var plan = JsonDocument.Parse(reader.GetString(1));
                    CollectScans(plan.RootElement, columns);
                }

                columns.ExceptWith(["year", "month", "day", "hour"]);
                if (columns.Count > 0)
                {
                    Console.WriteLine($"{query}\t{table}\t{string.Join(',', columns)}");
                }
            }
        }

        return 0;
    }

    public static int Bytes(string columnsFile, string lake)
    {
        var rows = File.ReadAllLines(columnsFile).Skip(1).Select(l => l.Split('\t')).Where(p => p.Length == 3).ToList();
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        Console.WriteLine("query\tbytes");
        foreach (var query in rows.GroupBy(r => r[0]))
        {
            long bytes = 0;
            foreach (var row in query)
            {
                var table = row[1];
                var duckLayout = Directory.Exists(Path.Combine(lake, $"type={table}"));
                var glob = duckLayout ? Path.Combine(lake, $"type={table}", "**", "*.parquet") : Glob(lake, table);
                var paths = row[2].Split(',').SelectMany(c => duckLayout ? new[] { c, $"params, {c}" } : [c]).Select(c => $"'{c}'");
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT CAST(coalesce(sum(total_compressed_size), 0) AS BIGINT) FROM parquet_metadata('{glob}') WHERE path_in_schema IN ({string.Join(", ", paths)})";
                bytes += Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            }

            Console.WriteLine($"{query.Key}\t{bytes}");
        }

        return 0;
    }

    private static void CollectScans(JsonElement node, SortedSet<string> columns)
    {
        if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in node.EnumerateArray())
            {
                CollectScans(child, columns);
            }

            return;
        }

        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (node.TryGetProperty("extra_info", out var info) && info.ValueKind == JsonValueKind.Object
            && info.TryGetProperty("Function", out var function) && function.GetString() == "READ_PARQUET"
            && info.TryGetProperty("Projections", out var projections))
        {
            if (projections.ValueKind == JsonValueKind.Array)
            {
                columns.UnionWith(projections.EnumerateArray().Select(p => p.GetString()!));
            }
            else
            {
                columns.Add(projections.GetString()!);
            }
        }

        if (node.TryGetProperty("children", out var children))
        {
            CollectScans(children, columns);
        }
    }

    private static string Glob(string lake, string table) =>
        Path.Combine(Path.GetFullPath(lake), table, "**", "*.parquet").Replace("'", "''", StringComparison.Ordinal);

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
