using System.Diagnostics;
using DuckDB.NET.Data;

// The yardstick of docs/benchmarks.md: DuckDB turning the same NDJSON into a Hive-partitioned Parquet tree
// with one COPY statement, single-threaded. Run as its own process so its peak memory is measured alone.
if (args.Length == 2 && args[0] == "count")
{
    // Rows in a lake's tables (not _errors): how the consumer benchmark knows everything has landed.
    var lake = Path.GetFullPath(args[1]).Replace("'", "''", StringComparison.Ordinal);
    if (!Directory.Exists(args[1]) || !Directory.EnumerateFiles(args[1], "*.parquet", SearchOption.AllDirectories).Any())
    {
        Console.WriteLine(0);
        return 0;
    }

    using var counting = new DuckDBConnection("Data Source=:memory:");
    counting.Open();
    using var count = counting.CreateCommand();
    count.CommandText = $"SELECT count(*) FROM read_parquet('{lake}/[a-z]*/**/*.parquet', union_by_name = true)";
    Console.WriteLine(Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length != 3 || args[0] != "duckdb-copy")
{
    Console.Error.WriteLine("usage: streaming-bench duckdb-copy <events.ndjson> <output-dir> | count <lake>");
    return 2;
}

var input = Path.GetFullPath(args[1]).Replace("'", "''", StringComparison.Ordinal);
var output = Path.GetFullPath(args[2]).Replace("'", "''", StringComparison.Ordinal);
var clock = Stopwatch.StartNew();
using var connection = new DuckDBConnection("Data Source=:memory:");
connection.Open();
using var command = connection.CreateCommand();
command.CommandText = $"""
    SET threads = 1;
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
var rows = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
Console.WriteLine($"{{\"rows\":{rows},\"elapsed_seconds\":{clock.Elapsed.TotalSeconds:F3}}}");
return 0;
