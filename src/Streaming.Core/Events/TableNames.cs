namespace Streaming.Core.Events;

/// <summary>
/// The rule that turns an event's <c>type</c> into a table name: lower-case, <c>-</c> and <c>.</c> become
/// <c>_</c>, then it must match <c>^[a-z][a-z0-9_]{0,63}$</c>. Nothing else is accepted, so a table name can
/// never hold a path separator, a leading underscore or dot, or anything that escapes the lake root.
/// </summary>
public static class TableNames
{
    public const int MaxLength = 64;

    public static bool TryNormalize(ReadOnlySpan<char> type, out string table)
    {
        table = string.Empty;
        if (type.Length is 0 or > MaxLength)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[MaxLength];
        for (var i = 0; i < type.Length; i++)
        {
            var c = type[i];
            if (c is >= 'A' and <= 'Z')
            {
                c = (char)(c + 32);
            }
            else if (c is '-' or '.')
            {
                c = '_';
            }

            var ok = c is (>= 'a' and <= 'z') or '_' or (>= '0' and <= '9');
            if (!ok || (i == 0 && c is not (>= 'a' and <= 'z')))
            {
                return false;
            }

            buffer[i] = c;
        }

        table = new string(buffer[..type.Length]);
        return true;
    }

    public static bool IsValid(string table) =>
        TryNormalize(table, out var normalized) && string.Equals(normalized, table, StringComparison.Ordinal);
}
