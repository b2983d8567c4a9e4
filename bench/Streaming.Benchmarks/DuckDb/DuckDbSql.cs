using System.Globalization;
using DuckDB.NET.Data;

namespace Streaming.Benchmarks.DuckDb;

/// <summary>
/// <c>streaming-bench sql &lt;statement&gt;...</c>: runs statements in one in-memory DuckDB session (UTC) and prints
/// the last one's rows tab-separated, with a header line: how the shell scripts read Parquet metadata
/// (<c>parquet_metadata()</c>) without a DuckDB command-line binary on the machine.
/// </summary>
internal static class DuckDbSql
{
    public static int Run(IReadOnlyList<string> statements)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SET TimeZone = 'UTC'";
        command.ExecuteNonQuery();
        for (var i = 0; i < statements.Count - 1; i++)
        {
            command.CommandText = statements[i];
            command.ExecuteNonQuery();
        }

        command.CommandText = statements[^1];
        using var reader = command.ExecuteReader();
        Console.WriteLine(string.Join('\t', Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)));
        var row = new string[reader.FieldCount];
        while (reader.Read())
        {
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? string.Empty;
            }

            Console.WriteLine(string.Join('\t', row));
        }

        return 0;
    }
}
