using System.Text;
using Streaming.Core.Backfill;

namespace Streaming.Core.Tests.Backfill;

public sealed class LineRangeStreamTests
{
    public static TheoryData<int> Seeds() => [1, 2, 3, 4, 5, 6, 7, 8];

    /// <summary>Lines of 0 to 300 bytes (empty ones too), with or without a final newline.</summary>
    private static byte[] RandomText(Random random)
    {
        var text = new StringBuilder();
        var lines = random.Next(1, 200);
        for (var i = 0; i < lines; i++)
        {
            text.Append((char)('a' + (i % 26)), random.Next(0, 300));
            if (i < lines - 1 || random.Next(2) == 0)
            {
                text.Append('\n');
            }
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static byte[] ReadRange(byte[] bytes, long start, long end)
    {
        var open = (int)Math.Max(0, start - 1);
        using var stream = new LineRangeStream(new MemoryStream(bytes, open, bytes.Length - open), start, end);
        using var copy = new MemoryStream();

        // Small reads, so that range ends fall inside the stream's own buffer and inside the reader's.
        var buffer = new byte[7];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            copy.Write(buffer, 0, n);
        }

        return copy.ToArray();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_ranges_of_any_size_put_back_together_are_the_input_and_each_starts_at_a_line_start(int seed)
    {
        var random = new Random(seed);
        var bytes = RandomText(random);
        foreach (var size in new[] { 1, 2, 3, 17, 64, 299, 300, 301, 1000, bytes.Length, bytes.Length + 5 })
        {
            var joined = new List<byte>();
            for (long start = 0; start < bytes.Length; start += size)
            {
                var piece = ReadRange(bytes, start, Math.Min(bytes.Length, start + size));
                if (piece.Length > 0)
                {
                    // A piece starts where a line starts: at 0, or right after a newline.
                    Assert.True(joined.Count == 0 || joined[^1] == (byte)'\n', $"size {size}: a piece starts inside a line at byte {joined.Count}");
                }

                joined.AddRange(piece);
            }

            Assert.Equal(Encoding.ASCII.GetString(bytes), Encoding.ASCII.GetString([.. joined]));
        }
    }

    [Fact]
    public void A_range_that_opens_inside_a_line_longer_than_itself_is_empty_and_the_previous_range_reads_the_line_to_its_end()
    {
        var bytes = Encoding.ASCII.GetBytes("ab\n" + new string('x', 50) + "\ncd\n");
        Assert.Equal("ab\n" + new string('x', 50) + "\n", Encoding.ASCII.GetString(ReadRange(bytes, 0, 10)));
        Assert.Empty(ReadRange(bytes, 10, 20));
        Assert.Equal("cd\n", Encoding.ASCII.GetString(ReadRange(bytes, 50, bytes.Length)));
    }

    [Fact]
    public void A_range_that_starts_right_after_a_newline_owns_the_line_that_starts_there()
    {
        var bytes = Encoding.ASCII.GetBytes("abc\ndef\n");
        Assert.Equal("abc\n", Encoding.ASCII.GetString(ReadRange(bytes, 0, 4)));
        Assert.Equal("def\n", Encoding.ASCII.GetString(ReadRange(bytes, 4, 8)));
    }
}
