using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

namespace Streaming.Benchmarks.DuckDb;

/// <summary>
/// The yardstick of docs/benchmarks.md: DuckDB turning the same NDJSON into a Hive-partitioned Parquet tree with
/// one COPY statement, single-threaded unless told otherwise (<c>default</c> keeps DuckDB's own thread count, one
/// per core: the yardstick for a conversion on every core). Run as its own process so its peak memory is measured alone.
/// </summary>
internal static class DuckDbCopy
{
    public static int Run(string inputPath, string outputPath, string threads)
    {
        var setThreads = threads switch
        {
            "default" => string.Empty,
            _ when int.TryParse(threads, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => $"SET threads = {n};",
            _ => throw new ArgumentException($"--threads takes a positive number or 'default', not '{threads}'", nameof(threads)),
        };
        var input = Path.GetFullPath(inputPath).Replace("'", "''", StringComparison.Ordinal);
        var output = Path.GetFullPath(outputPath).Replace("'", "''", StringComparison.Ordinal);
        var clock = Stopwatch.StartNew();
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            {setThreads}
            SET TimeZone = 'UTC';
            COPY (
                SELECT * EXCLUDE (date),
                       CAST(date AS TIMESTAMPTZ) AS date,
                       year(CAST(date AS TIMESTAMPTZ)) AS year,
                       month(CAST(date AS TIMESTAMPTZ)) AS month,
                       day(CAST(date AS TIMESTAMPTZ)) AS day,
                       hour(CAST(date AS TIMESTAMPTZ)) AS hour
                FROM read_json('{input}', format = 'newline_delimited'))
            TO '{output}' (FORMAT parquet, PARTITION_BY (type, year, month, day, hour));
            """;
        command.ExecuteNonQuery();
        command.CommandText = $"SELECT count(*) FROM read_parquet('{output}/**/*.parquet')";
        var rows = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        Console.WriteLine($"{{\"rows\":{rows},\"elapsed_seconds\":{clock.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)}}}");
        return 0;
    }
}
