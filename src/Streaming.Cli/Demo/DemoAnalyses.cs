namespace Streaming.Cli.Demo;

/// <summary>
/// The questions the demo asks of the lake, as an analyst would in Redash: the files of docs/queries, embedded in the
/// executable, so the demo runs exactly the SQL that runs in Athena. A file's title is its first comment line up to
/// the colon.
/// </summary>
internal static class DemoAnalyses
{
    private static readonly string[] Files =
    [
        "paying-users-by-country.sql",
        "exercise-order.sql",
        "cleared-within-a-day.sql",
        "daily-active-users-by-country.sql",
        "funnel.sql",
    ];

    public static IReadOnlyList<(string Title, string Sql)> All { get; } = [.. Files.Select(Load)];

    private static (string Title, string Sql) Load(string file)
    {
        using var stream = typeof(DemoAnalyses).Assembly.GetManifestResourceStream($"queries/{file}")
            ?? throw new InvalidOperationException($"docs/queries/{file} is not embedded in the executable");
        using var reader = new StreamReader(stream);
        var sql = reader.ReadToEnd();
        var first = sql.Split('\n')[0];
        var title = first.StartsWith("-- ", StringComparison.Ordinal) && first.IndexOf(':', StringComparison.Ordinal) is > 3 and var colon
            ? first[3..colon]
            : file;
        return (title, sql);
    }
}
