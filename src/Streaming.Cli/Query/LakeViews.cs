using System.Data.Common;
using DuckDB.NET.Data;
using Streaming.Core.Events;

namespace Streaming.Cli.Query;

/// <summary>
/// An embedded DuckDB session over a local lake: one view per table, reading every Parquet file of the table
/// with the year/month/day/hour partitions taken from the path and columns matched by name, as Athena does.
/// </summary>
internal sealed class LakeViews : IDisposable
{
    private readonly DuckDBConnection _connection;

    private LakeViews(DuckDBConnection connection, IReadOnlyList<string> tables)
    {
        _connection = connection;
        Tables = tables;
    }

    public IReadOnlyList<string> Tables { get; }

    public static LakeViews Open(string lakeDirectory)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "SET TimeZone = 'UTC'");
        var tables = new List<string>();
        if (Directory.Exists(lakeDirectory))
        {
            foreach (var dir in Directory.EnumerateDirectories(lakeDirectory).Order(StringComparer.Ordinal))
            {
                var table = Path.GetFileName(dir);
                if (!TableNames.IsValid(table) || !Directory.EnumerateFiles(dir, "*.parquet", SearchOption.AllDirectories).Any())
                {
                    continue;
                }

                var glob = Path.Combine(dir, "**", "*.parquet").Replace("'", "''", StringComparison.Ordinal);
                // Partition columns typed as Athena's DDL types them (year int, ...), not guessed from "05".
                Execute(connection, $"CREATE VIEW \"{table}\" AS SELECT * FROM read_parquet('{glob}', hive_partitioning = true, union_by_name = true, " +
                    "hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER, 'hour': INTEGER})");
                tables.Add(table);
            }
        }

        return new LakeViews(connection, tables);
    }

    public QueryResult Query(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return new QueryResult(columns, rows);
    }

    public DbConnection Connection => _connection;

    public void Dispose() => _connection.Dispose();

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

internal sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows);
