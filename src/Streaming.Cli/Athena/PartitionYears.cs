using System.Globalization;
using Streaming.Core.Lake;

namespace Streaming.Cli.Athena;

/// <summary>
/// The first and last year a table has data in, found without listing the whole table: keys come back in
/// lexicographic order, so the first key under <c>&lt;table&gt;/year=</c> has the first year, and the last year is
/// found by asking decade prefixes (<c>year=209</c>, <c>year=208</c>...) from the newest down, then single years.
/// On S3 that is a couple of dozen one-page listings instead of one page per thousand files.
/// </summary>
internal static class PartitionYears
{
    /// <summary>The lake takes event times in [1970, 2100): the decades a year folder can be in.</summary>
    private const int FirstDecade = 197;
    private const int LastDecade = 209;

    public static async Task<(int First, int Last)?> FindAsync(ILakeStore store, string table, CancellationToken cancellationToken)
    {
        var prefix = $"{table}/year=";
        if (await FirstYearAsync(store, table, prefix, cancellationToken).ConfigureAwait(false) is not { } first)
        {
            return null;
        }

        for (var decade = LastDecade; decade >= FirstDecade; decade--)
        {
            var decadePrefix = prefix + decade.ToString(CultureInfo.InvariantCulture);
            if (await FirstYearAsync(store, table, decadePrefix, cancellationToken).ConfigureAwait(false) is null)
            {
                continue;
            }

            for (var year = (decade * 10) + 9; year >= decade * 10; year--)
            {
                var yearPrefix = string.Create(CultureInfo.InvariantCulture, $"{prefix}{year}/");
                if (await FirstYearAsync(store, table, yearPrefix, cancellationToken).ConfigureAwait(false) is { } last)
                {
                    return (first, last);
                }
            }
        }

        // Only a year outside [1970, 2100) can get here, which the writer never makes.
        return (first, first);
    }

    /// <summary>The year of the first data key under <paramref name="prefix"/>, or null when it holds none.</summary>
    private static async Task<int?> FirstYearAsync(ILakeStore store, string table, string prefix, CancellationToken cancellationToken)
    {
        await foreach (var key in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (TryParseYear(key, table, out var year))
            {
                return year;
            }
        }

        return null;
    }

    /// <summary>Reads <c>&lt;table&gt;/year=YYYY/month=MM/day=DD/hour=HH/file</c>; temporary and hidden files do not count.</summary>
    internal static bool TryParseYear(string key, string table, out int year)
    {
        year = 0;
        var parts = key.Split('/');
        return parts.Length == 6
            && parts[0] == table
            && parts[1].Length == 9
            && parts[1].StartsWith("year=", StringComparison.Ordinal)
            && int.TryParse(parts[1].AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out year)
            && !parts[5].StartsWith('.')
            && !parts[5].StartsWith('_');
    }
}
