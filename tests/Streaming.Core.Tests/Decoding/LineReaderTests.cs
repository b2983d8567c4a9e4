using System.Text;
using Streaming.Core.Decoding;

namespace Streaming.Core.Tests.Decoding;

public sealed class LineReaderTests
{
    private static List<LineReader.Line> ReadAll(string text, int maxLine, int buffer = 4096)
    {
        var reader = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), maxLine, buffer);
        var lines = new List<LineReader.Line>();
        while (reader.TryRead(out var line))
        {
            lines.Add(line with { Bytes = line.Bytes.ToArray() });
        }

        return lines;
    }

    [Fact]
    public void Reads_lines_with_numbers_and_a_last_line_without_newline()
    {
        var lines = ReadAll("a\n\nbc\ndef", 100);
        Assert.Equal(["a", "", "bc", "def"], lines.Select(l => Encoding.UTF8.GetString(l.Bytes.Span)));
        Assert.Equal([1L, 2, 3, 4], lines.Select(l => l.Number));
    }

    [Fact]
    public void Lines_longer_than_the_buffer_grow_it()
    {
        var longLine = new string('x', 20_000);
        var lines = ReadAll($"a\n{longLine}\nb", 100_000, buffer: 4096);
        Assert.Equal(longLine, Encoding.UTF8.GetString(lines[1].Bytes.Span));
        Assert.False(lines[1].Truncated);
        Assert.Equal("b", Encoding.UTF8.GetString(lines[2].Bytes.Span));
    }

    [Fact]
    public void Lines_over_the_limit_are_truncated_with_their_full_length_and_reading_goes_on()
    {
        var longLine = new string('y', 50_000);
        var lines = ReadAll($"a\n{longLine}\nb\n", 10_000, buffer: 4096);
        Assert.Equal(3, lines.Count);
        Assert.True(lines[1].Truncated);
        Assert.Equal(50_000, lines[1].Length);
        Assert.Equal(10_000, lines[1].Bytes.Length);
        Assert.Equal(2, lines[1].Number);
        Assert.Equal("b", Encoding.UTF8.GetString(lines[2].Bytes.Span));
        Assert.Equal(3, lines[2].Number);
    }
}
