using Microsoft.Extensions.Configuration;

namespace Streaming.Cli.Commands;

/// <summary>
/// Every configuration key the product reads under <c>Streaming:</c>, taken from the option classes, so that a
/// misspelt key (in appsettings.json or a <c>Streaming__...</c> variable) is an error that names the nearest
/// real key instead of a setting silently ignored.
/// </summary>
internal static class KnownKeys
{
    private static readonly Lazy<IReadOnlyList<string>> All = new(() => OptionBinding.Keys
        .Append("Streaming:Logging:Format")
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .Order(StringComparer.Ordinal)
        .ToList());

    /// <summary>One message per key under <c>Streaming:</c> that the product does not read, with the nearest real key.</summary>
    public static IEnumerable<string> Unknown(IConfiguration configuration)
    {
        foreach (var (key, value) in configuration.GetSection("Streaming").AsEnumerable())
        {
            if (value is null || All.Value.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var nearest = All.Value.MinBy(k => Distance(k.ToUpperInvariant(), key.ToUpperInvariant()))!;
            yield return $"{key} is not a setting (as {key.Replace(":", "__", StringComparison.Ordinal)} or in appsettings.json); did you mean {nearest}?";
        }
    }

    /// <summary>Levenshtein distance: how many single-character edits turn one key into the other.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
