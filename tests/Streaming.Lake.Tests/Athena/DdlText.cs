using System.Text.RegularExpressions;

namespace Streaming.Lake.Tests.Athena;

/// <summary>
/// Reads back what a CREATE TABLE statement printed by <c>streaming ddl</c> says (its columns, table properties and
/// location), so the tests check the text Athena would get rather than the model it was printed from.
/// </summary>
internal static partial class DdlText
{
    /// <summary>The CREATE statements of a script, by table name.</summary>
    public static Dictionary<string, string> Creates(string script) =>
        CreateStatement().Matches(script).ToDictionary(m => m.Groups["table"].Value, m => m.Value, StringComparer.Ordinal);

    /// <summary>The columns in order, names without their backticks.</summary>
    public static List<(string Name, string Type)> Columns(string create)
    {
        var body = create[(create.IndexOf("(\n", StringComparison.Ordinal) + 2)..create.IndexOf(")\nPARTITIONED BY", StringComparison.Ordinal)];
        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var parts = line.Trim().TrimEnd(',').Split(' ');
            Assert.Equal(2, parts.Length);
            return (parts[0].Trim('`'), parts[1]);
        })];
    }

    public static List<(string Name, string Type)> PartitionColumns(string create)
    {
        var match = PartitionedBy().Match(create);
        Assert.True(match.Success, create);
        return [.. match.Groups["columns"].Value.Split(", ").Select(c => c.Split(' ')).Select(p => (p[0].Trim('`'), p[1]))];
    }

    public static Dictionary<string, string> Properties(string create) =>
        Property().Matches(create[create.IndexOf("TBLPROPERTIES", StringComparison.Ordinal)..])
            .ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);

    public static string Location(string create) => LocationClause().Match(create).Groups["location"].Value;

    [GeneratedRegex(@"CREATE EXTERNAL TABLE IF NOT EXISTS (?:\w+\.)?`?(?<table>\w+)`? \(.*?\n\);", RegexOptions.Singleline)]
    private static partial Regex CreateStatement();

    [GeneratedRegex(@"PARTITIONED BY \((?<columns>[^)]*)\)")]
    private static partial Regex PartitionedBy();

    [GeneratedRegex(@"'(?<key>[^']+)' = '(?<value>[^']*)'")]
    private static partial Regex Property();

    [GeneratedRegex(@"\nLOCATION '(?<location>[^']+)'")]
    private static partial Regex LocationClause();
}
