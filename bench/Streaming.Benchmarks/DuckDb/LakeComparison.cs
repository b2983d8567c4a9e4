using System.Globalization;
using DuckDB.NET.Data;

namespace Streaming.Benchmarks.DuckDb;

/// <summary>
/// <c>streaming-bench compare &lt;expected-lake&gt; &lt;actual-lake&gt;</c>: whether two lakes hold the same rows, read
/// by DuckDB. Per table, every column by name (the partition columns of the path included), as multisets in both
/// directions; the files may be cut differently (per shard, per flush). Prints one line per table that differs and
/// a JSON summary; exits 1 when anything differs.
/// </summary>
internal static class LakeComparison
{
    public static int Run(string expectedPath, string actualPath)
    {
        var expectedTables = Tables(expectedPath);
        var actualTables = Tables(actualPath);
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var differences = 0;
        long rows = 0;
        foreach (var table in expectedTables.Union(actualTables).Order(StringComparer.Ordinal))
        {
            if (!expectedTables.Contains(table) || !actualTables.Contains(table))
            {
                Console.Error.WriteLine($"{table}: only in {(expectedTables.Contains(table) ? expectedPath : actualPath)}");
                differences++;
                continue;
            }

            var expected = Source(expectedPath, table);
            var actual = Source(actualPath, table);
            var expectedColumns = Columns(connection, expected);
            var actualColumns = Columns(connection, actual);
            if (!expectedColumns.SetEquals(actualColumns))
            {
                Console.Error.WriteLine($"{table}: columns differ: only expected {string.Join(',', expectedColumns.Except(actualColumns))}; only actual {string.Join(',', actualColumns.Except(expectedColumns))}");
                differences++;
                continue;
            }

            var select = string.Join(", ", expectedColumns.Order(StringComparer.Ordinal).Select(c => $"\"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\""));
            var missing = Scalar(connection, $"SELECT count(*) FROM (SELECT {select} FROM {expected} EXCEPT ALL SELECT {select} FROM {actual})");
            var extra = Scalar(connection, $"SELECT count(*) FROM (SELECT {select} FROM {actual} EXCEPT ALL SELECT {select} FROM {expected})");
            rows += Scalar(connection, $"SELECT count(*) FROM {expected}");
            if (missing + extra > 0)
            {
                Console.Error.WriteLine($"{table}: {missing} rows missing, {extra} rows extra");
                differences++;
            }
        }

        Console.WriteLine($"{{\"tables\":{expectedTables.Count},\"rows\":{rows},\"differences\":{differences}}}");
        return differences == 0 ? 0 : 1;
    }

    private static HashSet<string> Tables(string lake) =>
        Directory.Exists(lake)
            ? Directory.EnumerateDirectories(lake).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('_') && !n.StartsWith('.')).ToHashSet(StringComparer.Ordinal)
            : [];

    private static string Source(string lake, string table)
    {
        var path = Path.Combine(Path.GetFullPath(lake), table).Replace("'", "''", StringComparison.Ordinal);
        return $"read_parquet('{path}/**/*.parquet', union_by_name = true, hive_partitioning = true)";
    }

    private static HashSet<string> Columns(DuckDBConnection connection, string source)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM {source}";
        using var reader = command.ExecuteReader();
        var columns = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static long Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
