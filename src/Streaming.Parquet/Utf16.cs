using System.Buffers;
using System.Text;

namespace Streaming.Parquet;

/// <summary>String values as the UTF-16 Parquet.Net takes, from UTF-8 values that lie back to back.</summary>
internal static class Utf16
{
    /// <summary>
    /// Widens <paramref name="run"/>, the concatenation of values with the UTF-8 <paramref name="lengths"/>, into
    /// <paramref name="chars"/> from <paramref name="used"/> on and points <paramref name="values"/> at the results.
    /// An ASCII run (the usual case) is widened in one vectorised call; anything else is transcoded value by value.
    /// UTF-16 never needs more code units than UTF-8 has bytes, so <paramref name="chars"/> needs the run's length.
    /// </summary>
    public static void Widen(ReadOnlySpan<byte> run, ReadOnlySpan<int> lengths, char[] chars, ref int used, Span<ReadOnlyMemory<char>> values)
    {
        if (Ascii.ToUtf16(run, chars.AsSpan(used), out _) == OperationStatus.Done)
        {
            for (var i = 0; i < lengths.Length; i++)
            {
                values[i] = chars.AsMemory(used, lengths[i]);
                used += lengths[i];
            }

            return;
        }

        for (int i = 0, offset = 0; i < lengths.Length; i++)
        {
            var n = Encoding.UTF8.GetChars(run.Slice(offset, lengths[i]), chars.AsSpan(used));
            values[i] = chars.AsMemory(used, n);
            used += n;
            offset += lengths[i];
        }
    }
}
