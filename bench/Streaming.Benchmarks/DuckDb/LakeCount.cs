using System.Globalization;
using DuckDB.NET.Data;

namespace Streaming.Benchmarks.DuckDb;

/// <summary>Rows in a lake's tables (not <c>_errors</c>), read by DuckDB: how the consumer benchmarks know everything has landed.</summary>
internal static class LakeCount
{
    public static int Run(string lakePath)
    {
        var lake = Path.GetFullPath(lakePath).Replace("'", "''", StringComparison.Ordinal);
        if (!Directory.Exists(lakePath) || !Directory.EnumerateFiles(lakePath, "*.parquet", SearchOption.AllDirectories).Any())
        {
            Console.WriteLine(0);
            return 0;
        }

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM read_parquet('{lake}/[a-z]*/**/*.parquet', union_by_name = true)";
        Console.WriteLine(Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture));
        return 0;
    }
}
