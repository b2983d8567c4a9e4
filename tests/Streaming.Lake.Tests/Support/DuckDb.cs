using System.Globalization;
using DuckDB.NET.Data;

namespace Streaming.Lake.Tests.Support;

/// <summary>The independent reader: DuckDB over the lake's files.</summary>
internal sealed class DuckDb : IDisposable
{
    private readonly DuckDBConnection _connection;

    public DuckDb()
    {
        _connection = new DuckDBConnection("Data Source=:memory:");
        _connection.Open();
        Execute("SET TimeZone = 'UTC'");
    }

    public static string Table(string lake, string table) =>
        $"read_parquet('{Path.Combine(lake, table)}/**/*.parquet', hive_partitioning = true, union_by_name = true, " +
        "hive_types = {'year': INTEGER, 'month': INTEGER, 'day': INTEGER, 'hour': INTEGER})";

    public static string Errors(string lake) => $"read_json('{Path.Combine(lake, "_errors")}/**/*.json.gz', format = 'newline_delimited')";

    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public long Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() switch
        {
            System.Numerics.BigInteger big => (long)big,
            var value => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        };
    }

    public List<Dictionary<string, object?>> Rows(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Column name to DuckDB type, as DESCRIBE reports it.</summary>
    public Dictionary<string, string> Types(string relation) =>
        Rows($"DESCRIBE SELECT * FROM {relation}").ToDictionary(r => (string)r["column_name"]!, r => (string)r["column_type"]!);

    public void Dispose() => _connection.Dispose();
}
