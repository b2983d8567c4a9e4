using System.Text.RegularExpressions;

namespace Streaming.Cli.Query;

/// <summary>
/// Which of the lake's tables a query can read: those whose name appears in it as a word, bare or quoted. A query
/// reads a view only by naming it, so nothing it needs is missed; a column or alias that happens to share a table's
/// name only costs that table's download.
/// </summary>
internal static partial class TableReferences
{
    public static IReadOnlyList<string> In(string sql, IEnumerable<string> tables)
    {
        var words = Words().Matches(sql).Select(m => m.Value.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        return [.. tables.Where(words.Contains)];
    }

    [GeneratedRegex("[A-Za-z0-9_]+")]
    private static partial Regex Words();
}
