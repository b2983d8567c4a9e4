using System.Globalization;
using DuckDB.NET.Data;

namespace Streaming.EndToEnd.Tests;

/// <summary>Reads a lake with DuckDB, the independent reader.</summary>
internal static class LakeCheck
{
    public sealed record Counts(long Rows, long DistinctIds, long Rejected);

    public static Counts Count(string lake)
    {
        if (!Directory.Exists(lake) || !Directory.EnumerateFiles(lake, "*.parquet", SearchOption.AllDirectories).Any(f => !f.Contains("/_", StringComparison.Ordinal)))
        {
            return new Counts(0, 0, Rejected(lake));
        }

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*), count(DISTINCT id) FROM read_parquet('{lake}/t*/**/*.parquet', union_by_name = true)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return new Counts(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), Rejected(lake));
    }

    public static long Rejected(string lake)
    {
        var errors = Path.Combine(lake, "_errors");
        if (!Directory.Exists(errors) || !Directory.EnumerateFiles(errors, "*.json.gz", SearchOption.AllDirectories).Any())
        {
            return 0;
        }

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM read_json('{errors}/**/*.json.gz', format = 'newline_delimited')";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Polls until the lake holds <paramref name="rows"/> rows (or the deadline passes), then returns the counts.</summary>
    public static async Task<Counts> WaitForRowsAsync(string lake, long rows, TimeSpan timeout, long rejected = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        var counts = Count(lake);
        while ((counts.Rows < rows || counts.Rejected < rejected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            counts = Count(lake);
        }

        // Give a worker that might write a duplicate the time to do so before the caller checks.
        await Task.Delay(TimeSpan.FromSeconds(3));
        return Count(lake);
    }
}
