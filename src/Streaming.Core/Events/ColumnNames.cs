namespace Streaming.Core.Events;

/// <summary>
/// The column naming rules. A JSON key becomes a column name by lower-casing ASCII letters and turning every
/// character outside <c>[a-z0-9_]</c> into <c>_</c>; nested keys are joined with <c>_</c>. Athena matches
/// Parquet columns by lower-case name, so nothing else is allowed.
/// </summary>
public static class ColumnNames
{
    /// <summary>Athena and Glue accept column names up to 255 characters.</summary>
    public const int MaxLength = 255;

    public const string Rescued = "_rescued";
    public const string DateRaw = "_date_raw";
    public const string Date = "date";
    public const string Type = "type";

    /// <summary>Partition columns and our own system columns: a data field can never take these names.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "year", "month", "day", "hour", Rescued, DateRaw,
    };

    /// <summary>
    /// Top-level fields of the event contract. A flattened <c>params</c> field with one of these names
    /// always becomes <c>params_&lt;name&gt;</c>, even when this event lacks the top-level field, so the
    /// column it lands in does not depend on which optional fields an event happened to carry.
    /// </summary>
    public static readonly IReadOnlySet<string> ContractFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "date", "type", "user_id", "locale", "country_code", "params",
    };

    /// <summary>Appends the normalised form of <paramref name="key"/> to <paramref name="destination"/>.</summary>
    public static int Normalize(ReadOnlySpan<char> key, Span<char> destination)
    {
        var n = Math.Min(key.Length, destination.Length);
        for (var i = 0; i < n; i++)
        {
            var c = key[i];
            destination[i] = c switch
            {
                >= 'A' and <= 'Z' => (char)(c + 32),
                (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' => c,
                _ => '_',
            };
        }

        return n;
    }

    public static string Normalize(string key)
    {
        var buffer = key.Length <= 512 ? stackalloc char[key.Length] : new char[key.Length];
        var n = Normalize(key, buffer);
        return new string(buffer[..n]);
    }

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength && name.AsSpan().IndexOfAnyExcept(ValidChars) < 0;

    private static readonly System.Buffers.SearchValues<char> ValidChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");
}
