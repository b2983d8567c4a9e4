using System.Globalization;
using System.Text.Json;
using Streaming.Lake.Tests.Support;
using Streaming.TestSupport.Emulators;

namespace Streaming.Lake.Tests.Athena;

/// <summary>
/// The analysts' queries of docs/queries: each parsed by the Trino grammar (Athena's query dialect) and run by
/// <c>streaming query</c> over a lake of known events, its answer held against one computed in C# from the events.
/// </summary>
public sealed class QueryTests : IClassFixture<QueryLakeFixture>
{
    private static readonly string QueriesDirectory = Path.Combine(RepositoryRoot.Find(), "docs", "queries");

    private readonly QueryLakeFixture _lake;

    public QueryTests(QueryLakeFixture lake)
    {
        _lake = lake;
    }

    public static TheoryData<string> Queries => [.. Files];

    private static IReadOnlyList<string> Files =>
        [.. Directory.EnumerateFiles(QueriesDirectory, "*.sql").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    /// <summary>Each file's columns and its answer computed from the events.</summary>
    private static (string[] Columns, Func<IReadOnlyList<AnalyticsEvent>, List<object[]>> Answer) Expected(string file) => file switch
    {
        "paying-users-by-country.sql" => (["country", "paying_users", "payments"], ExpectedAnswers.PayingUsersByCountry),
        "exercise-order.sql" => (["first_exercises", "users"], ExpectedAnswers.ExerciseOrder),
        "cleared-within-a-day.sql" => (["exercises_cleared", "users", "percent"], ExpectedAnswers.ClearedWithinADay),
        "daily-active-users-by-country.sql" => (["activity_date", "country", "active_users"], ExpectedAnswers.DailyActiveUsersByCountry),
        "funnel.sql" => (["step", "stage", "users", "percent_of_registered"], ExpectedAnswers.Funnel),
        _ => throw new InvalidOperationException($"docs/queries/{file} has no expected answer in {nameof(QueryTests)}: add one"),
    };

    [Fact]
    public void The_five_queries_the_analysts_need_are_there() =>
        Assert.Equal(
            ["cleared-within-a-day.sql", "daily-active-users-by-country.sql", "exercise-order.sql", "funnel.sql", "paying-users-by-country.sql"],
            Files);

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Each_query_gives_the_answer_computed_from_the_events(string file)
    {
        var (columns, answer) = Expected(file);
        var expected = answer(_lake.Events);
        Assert.True(expected.Count >= 3, $"{file}: the test data gives only {expected.Count} rows");

        var (code, stdout, stderr) = await StreamingProcess.RunAsync(["query", "--lake", _lake.Lake, "--format", "json", await File.ReadAllTextAsync(Path.Combine(QueriesDirectory, file))]);

        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(rows, row => Assert.Equal(columns, row.EnumerateObject().Select(p => p.Name)));
        var actual = rows.Select(row => row.EnumerateObject().Select((p, i) => Value(p.Value, expected[0][i])).ToArray()).ToList();
        Assert.Equal(expected.Select(Show), actual.Select(Show));
    }

    [Fact]
    public async Task The_trino_grammar_accepts_every_query()
    {
        var results = await SqlValidators.CheckAsync([.. Files.Select(f => new ValidationRequest("trino", f, File.ReadAllText(Path.Combine(QueriesDirectory, f))))]);

        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.True(r.Errors.Count == 0, $"{r.Name}: {string.Join("; ", r.Errors)}"));
    }

    [Fact]
    public async Task The_trino_grammar_rejects_duckdb_only_sql_so_the_check_can_fail()
    {
        // The seed's first version of the exercise order: list slicing and LIST are DuckDB's, not Athena's.
        const string duckDbOnly = "SELECT user_id, list(exercise_id ORDER BY date, id)[1:3] AS first_three FROM exercise_started GROUP BY user_id";

        var result = (await SqlValidators.CheckAsync(new ValidationRequest("trino", "duckdb.sql", duckDbOnly)))[0];

        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public async Task A_query_from_standard_input_prints_as_a_table_or_csv()
    {
        var sql = await File.ReadAllTextAsync(Path.Combine(QueriesDirectory, "funnel.sql"));
        var expected = ExpectedAnswers.Funnel(_lake.Events);

        var table = await StreamingProcess.RunAsync(["query", "--lake", _lake.Lake, "-"], stdin: sql);
        var csv = await StreamingProcess.RunAsync(["query", "--lake", _lake.Lake, "--format", "csv", sql]);

        Assert.True(table.ExitCode == 0, table.Stderr);
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["step", "stage", "users", "percent_of_registered"], lines[0].Split("  ", StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim()));
        Assert.Matches("^[- ]+$", lines[1]);
        Assert.Equal("(3 rows)", lines[^1]);
        Assert.Matches($@"^\s*2  started an exercise\s+{expected[1][2]}\s", lines[3]);
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        Assert.Equal(
            ["step,stage,users,percent_of_registered", .. expected.Select(r => string.Join(',', r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))))],
            csv.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("SELEC 1", 2, "Parser Error")]
    [InlineData("SELECT * FROM paymnt", 2, "(tables: exercise_cleared, exercise_started, lesson_completed, lesson_started, page_view, payment, user_registration)")]
    [InlineData("SELECT no_such_column FROM payment", 2, "Binder Error")]
    [InlineData("SELECT CAST(country_code AS integer) FROM payment", 1, "Conversion Error")]
    public async Task A_query_that_cannot_run_is_one_line_with_the_right_exit_code(string sql, int exitCode, string expected)
    {
        var (code, stdout, stderr) = await StreamingProcess.RunAsync(["query", "--lake", _lake.Lake, sql]);

        Assert.Equal(exitCode, code);
        Assert.Empty(stdout);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_missing_lake_or_empty_sql_is_exit_code_2()
    {
        var missing = await StreamingProcess.RunAsync(["query", "--lake", _lake.Lake + "-nope", "SELECT 1"]);
        var empty = await StreamingProcess.RunAsync(["query", "--lake", _lake.Lake, "  "]);
        var format = await StreamingProcess.RunAsync(["query", "--lake", _lake.Lake, "SELECT 1", "--format", "xml"]);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such directory", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, empty.ExitCode);
        Assert.Equal(2, format.ExitCode);
        Assert.Single(format.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A JSON value as the type its expected counterpart has.</summary>
    private static object Value(JsonElement value, object like) => like switch
    {
        long => value.GetInt64(),
        double => value.GetDouble(),
        _ => value.GetString()!,
    };

    private static string Show(object[] row) => string.Join(" | ", row.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
}
