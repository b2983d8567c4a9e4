using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// Compares two lakes value for value with DuckDB, the independent reader: the same tables, per table the same
/// columns with the same types, the same rows as multisets over every column by name, and the same rejected
/// events. Counting rows cannot see a value in the wrong column; this can. The expected lake is the one
/// <c>streaming convert</c> makes of the lines, the actual one what <c>streaming run</c> made of them.
/// </summary>
internal static class LakeDiff
{
    private const int ShownRows = 3;
    private const int RowsSearched = 2000;
    private const int ShownRejected = 10;

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The differences, one readable paragraph each; empty when the lakes hold the same.</summary>
    /// <param name="alsoRejectedByRun">Events only the actual lake rejects (whole records no file line can reproduce).</param>
    public static IReadOnlyList<string> Compare(string expected, string actual, IReadOnlyCollection<RejectedEvent>? alsoRejectedByRun = null)
    {
        var differences = new List<string>();
        using var db = Open();
        var expectedTables = Tables(expected);
        var actualTables = Tables(actual);
        if (!expectedTables.SequenceEqual(actualTables))
        {
            differences.Add($"tables: expected [{string.Join(", ", expectedTables)}], actual [{string.Join(", ", actualTables)}]");
        }

        foreach (var table in expectedTables.Intersect(actualTables))
        {
            try
            {
                CompareTable(db, expected, actual, table, differences);
            }
            catch (DuckDBException e)
            {
                differences.Add($"table {table}: DuckDB cannot compare it: {e.Message}");
            }
        }

        CompareRejected(Rejected(db, expected).Concat(alsoRejectedByRun ?? []), Rejected(db, actual), differences);
        return differences;
    }

    public static LakeTotals Count(string lake)
    {
        using var db = Open();
        var rows = Tables(lake).Sum(t => Scalar(db, $"SELECT count(*) FROM {Parquet(lake, t)}"));
        return new LakeTotals(rows, Rejected(db, lake).Count);
    }

    /// <summary>
    /// Polls until <paramref name="lake"/> holds at least <paramref name="atLeast"/> (or the time is up), waits
    /// <paramref name="settle"/> more so that a worker about to write a duplicate can do so, and returns what it holds.
    /// </summary>
    public static async Task<LakeTotals> WaitForAsync(string lake, LakeTotals atLeast, TimeSpan timeout, TimeSpan? settle = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var totals = Count(lake);
        while ((totals.Rows < atLeast.Rows || totals.Rejected < atLeast.Rejected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            totals = Count(lake);
        }

        await Task.Delay(settle ?? TimeSpan.FromSeconds(3));
        return Count(lake);
    }

    /// <summary>Top-level folders that hold Parquet files; names starting with <c>_</c> are the lake's own, never tables.</summary>
    public static IReadOnlyList<string> Tables(string lake) =>
        !Directory.Exists(lake)
            ? []
            : Directory.EnumerateDirectories(lake)
                .Where(d => Path.GetFileName(d) is var name && !name.StartsWith('_') && !name.StartsWith('.'))
                .Where(d => Directory.EnumerateFiles(d, "*.parquet", SearchOption.AllDirectories).Any(f => !Path.GetFileName(f).StartsWith('.')))
                .Select(d => Path.GetFileName(d))
                .Order(StringComparer.Ordinal)
                .ToList();

    /// <summary>A value as a JSON literal, so that white space, escapes and nulls show.</summary>
    public static string Show(string? value) => value is null ? "NULL" : JsonSerializer.Serialize(value, Readable);

    private static void CompareTable(DuckDBConnection db, string expected, string actual, string table, List<string> differences)
    {
        var expectedColumns = Describe(db, expected, table);
        var actualColumns = Describe(db, actual, table);
        var onlyExpected = expectedColumns.Except(actualColumns).ToList();
        var onlyActual = actualColumns.Except(expectedColumns).ToList();
        if (onlyExpected.Count > 0 || onlyActual.Count > 0)
        {
            differences.Add($"table {table}: columns only in expected [{string.Join(", ", onlyExpected.Select(c => $"{c.Name} {c.Type}"))}], "
                + $"only in actual [{string.Join(", ", onlyActual.Select(c => $"{c.Name} {c.Type}"))}]");
        }

        // Every column of either side, as text (a column one side lacks is NULL there), so that EXCEPT ALL compares
        // the multisets by name whatever the order of the columns in the files; it counts NULLs as equal.
        var names = expectedColumns.Select(c => c.Name).Union(actualColumns.Select(c => c.Name)).ToList();
        var expectedRows = Rows(expected, table, names, expectedColumns);
        var actualRows = Rows(actual, table, names, actualColumns);
        var missing = $"{expectedRows} EXCEPT ALL {actualRows}";
        var extra = $"{actualRows} EXCEPT ALL {expectedRows}";
        var missingCount = Scalar(db, $"SELECT count(*) FROM ({missing})");
        var extraCount = Scalar(db, $"SELECT count(*) FROM ({extra})");
        if (missingCount == 0 && extraCount == 0)
        {
            return;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"table {table}: {missingCount} of {Scalar(db, $"SELECT count(*) FROM ({expectedRows})")} expected rows are not in the actual lake, ")
            .Append(CultureInfo.InvariantCulture, $"{extraCount} of {Scalar(db, $"SELECT count(*) FROM ({actualRows})")} actual rows are not in the expected lake");
        var missingRows = Query(db, $"SELECT * FROM ({missing}) ORDER BY ALL LIMIT {RowsSearched}");
        var extraRows = Query(db, $"SELECT * FROM ({extra}) ORDER BY ALL LIMIT {RowsSearched}");
        var id = names.IndexOf("id");
        var paired = new bool[extraRows.Count];
        foreach (var row in missingRows.Take(ShownRows))
        {
            // The actual row this one became: the one with its id, else the one sharing most values (when the id
            // itself went to another column).
            var match = Enumerable.Range(0, extraRows.Count)
                .Where(j => !paired[j])
                .Select(j => (Index: j, Score: (id >= 0 && row[id] == extraRows[j][id] ? names.Count : 0) + row.Where((v, i) => v is not null && v == extraRows[j][i]).Count()))
                .OrderByDescending(m => m.Score)
                .FirstOrDefault(m => m.Score > 0, (Index: -1, Score: 0));
            if (match.Index < 0)
            {
                text.Append("\n  only in expected: ").Append(ShowRow(names, row)).Append(Occurrences(db, expectedRows, actualRows, id, row));
                continue;
            }

            paired[match.Index] = true;
            var other = extraRows[match.Index];
            text.Append(CultureInfo.InvariantCulture, $"\n  expected row {Key(names, id, row)}, closest actual row {Key(names, id, other)}:");
            for (var i = 0; i < names.Count; i++)
            {
                if (row[i] != other[i])
                {
                    text.Append(CultureInfo.InvariantCulture, $"\n    {names[i]}: expected {Show(row[i])}, actual {Show(other[i])}");
                }
            }
        }

        foreach (var row in extraRows.Where((_, j) => !paired[j]).Take(ShownRows))
        {
            text.Append("\n  only in actual: ").Append(ShowRow(names, row)).Append(Occurrences(db, expectedRows, actualRows, id, row));
        }

        differences.Add(text.ToString());
    }

    private static string Key(IReadOnlyList<string> names, int id, string?[] row) =>
        id >= 0 ? $"id {Show(row[id])}" : ShowRow(names, row);

    /// <summary>How often the row's id is in each lake: a duplicate shows as one more in the actual lake.</summary>
    private static string Occurrences(DuckDBConnection db, string expectedRows, string actualRows, int id, string?[] row)
    {
        if (id < 0)
        {
            return string.Empty;
        }

        var filter = row[id] is { } value ? $"id = {Literal(value)}" : "id IS NULL";
        return $" (this id: {Scalar(db, $"SELECT count(*) FROM ({expectedRows}) WHERE {filter}")} row(s) expected, {Scalar(db, $"SELECT count(*) FROM ({actualRows}) WHERE {filter}")} actual)";
    }

    private static void CompareRejected(IEnumerable<RejectedEvent> expected, IEnumerable<RejectedEvent> actual, List<string> differences)
    {
        var counts = new Dictionary<RejectedEvent, int>();
        foreach (var e in expected)
        {
            counts[e] = counts.GetValueOrDefault(e) + 1;
        }

        foreach (var e in actual)
        {
            counts[e] = counts.GetValueOrDefault(e) - 1;
        }

        var missing = counts.Where(kv => kv.Value > 0).ToList();
        var extra = counts.Where(kv => kv.Value < 0).ToList();
        if (missing.Count == 0 && extra.Count == 0)
        {
            return;
        }

        var text = new StringBuilder($"rejected events: {missing.Sum(kv => kv.Value)} expected are not in the actual lake, {-extra.Sum(kv => kv.Value)} actual are not in the expected lake");
        text.AppendJoin(string.Empty, missing.Take(ShownRejected).Select(kv => $"\n  expected only ({kv.Value}x): {kv.Key}"));
        text.AppendJoin(string.Empty, extra.Take(ShownRejected).Select(kv => $"\n  actual only ({-kv.Value}x): {kv.Key}"));
        differences.Add(text.ToString());
    }

    private static List<RejectedEvent> Rejected(DuckDBConnection db, string lake)
    {
        var errors = Path.Combine(lake, "_errors");
        if (!Directory.Exists(errors) || !Directory.EnumerateFiles(errors, "*.json.gz", SearchOption.AllDirectories).Any())
        {
            return [];
        }

        // Objects rather than read_json's inferred columns: the two lakes have different position fields, and
        // raw_base64 exists only where some event was not UTF-8.
        return Query(db, $"SELECT json->>'reason', json->>'raw', json->>'raw_base64' FROM read_json_objects({Literal(errors + "/**/*.json.gz")}, format = 'newline_delimited')")
            .Select(r => new RejectedEvent(r[0], r[1], r[2]))
            .ToList();
    }

    private static List<(string Name, string Type)> Describe(DuckDBConnection db, string lake, string table) =>
        Query(db, $"DESCRIBE SELECT * FROM {Parquet(lake, table)}").Select(r => (r[0]!, r[1]!)).ToList();

    private static string Rows(string lake, string table, IReadOnlyList<string> names, IReadOnlyList<(string Name, string Type)> present)
    {
        var has = present.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var columns = names.Select(n => has.Contains(n) ? $"CAST({Identifier(n)} AS VARCHAR) AS {Identifier(n)}" : $"CAST(NULL AS VARCHAR) AS {Identifier(n)}");
        return $"SELECT {string.Join(", ", columns)} FROM {Parquet(lake, table)}";
    }

    private static string ShowRow(IReadOnlyList<string> names, IReadOnlyList<string?> row) =>
        "{" + string.Join(", ", names.Select((n, i) => (n, v: row[i])).Where(c => c.v is not null).Select(c => $"{c.n}: {Show(c.v)}")) + "}";

    private static string Parquet(string lake, string table) =>
        $"read_parquet({Literal(Path.Combine(lake, table) + "/**/*.parquet")}, hive_partitioning = true, union_by_name = true)";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static DuckDBConnection Open()
    {
        var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        return db;
    }

    private static long Scalar(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Rows of text (every value as DuckDB prints it, or null).</summary>
    private static List<string?[]> Query(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }
}
