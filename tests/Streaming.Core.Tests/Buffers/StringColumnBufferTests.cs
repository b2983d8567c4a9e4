using System.Text;
using Streaming.Core.Buffers;
using Streaming.Core.Schema;

namespace Streaming.Core.Tests.Buffers;

public sealed class StringColumnBufferTests
{
    // Around the one-byte length's limit, empty, multi-byte UTF-8, and values larger than a chunk (1 MiB).
    private static readonly int[] Lengths = [0, 1, 2, 36, 254, 255, 256, 3, 1000, 0, 254, 70_000, 5, 1_500_000, 255, 7];

    /// <summary>Values whose UTF-8 lengths are <see cref="Lengths"/>, each starting with a two-byte character when it can.</summary>
    private static List<string> Values(int repeat) =>
        Enumerable.Range(0, repeat)
            .SelectMany(r => Lengths.Select((n, i) => Value(n, (char)('a' + ((r + i) % 26)))))
            .ToList();

    private static string Value(int utf8Length, char fill) =>
        utf8Length >= 2 ? "é" + new string(fill, utf8Length - 2) : new string(fill, utf8Length);

    private static StringColumnBuffer Fill(IEnumerable<string> values)
    {
        var column = (StringColumnBuffer)ColumnBuffer.Create(new ColumnDefinition("s", ColumnType.String, 1), 0);
        var row = 0;
        foreach (var v in values)
        {
            column.AppendUtf8(row++, Encoding.UTF8.GetBytes(v));
        }

        return column;
    }

    [Fact]
    public void Lengths_of_every_size_read_back_from_the_start()
    {
        var values = Values(3);
        var column = Fill(values);
        var lengths = new int[values.Count];
        column.CopyLengths(0, lengths);
        Assert.Equal(values.Select(v => Encoding.UTF8.GetByteCount(v)), lengths);

        var reader = column.CreateReader();
        Assert.Equal(values, lengths.Select(n => Encoding.UTF8.GetString(reader.Next(n))));
    }

    [Fact]
    public void Lengths_read_back_from_any_value_on_as_row_groups_ask_for_them()
    {
        var values = Values(3);
        var expected = values.Select(v => Encoding.UTF8.GetByteCount(v)).ToArray();
        var column = Fill(values);
        for (var first = 0; first < values.Count; first++)
        {
            for (var count = 1; first + count <= values.Count; count += 7)
            {
                var lengths = new int[count];
                column.CopyLengths(first, lengths);
                Assert.Equal(expected.AsSpan(first, count).ToArray(), lengths);
            }
        }
    }
}
