using System.IO.Compression;
using System.Text;
using Streaming.Core.Decoding;

namespace Streaming.Core.Tests.Decoding;

public sealed class PayloadDecoderTests
{
    internal static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return output.ToArray();
    }

    internal static byte[] Zlib(byte[] data)
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(data);
        }

        return output.ToArray();
    }

    [Fact]
    public void Plain_payload_is_returned_as_is()
    {
        var payload = Encoding.UTF8.GetBytes("{\"type\":\"a\"}");
        var result = PayloadDecoder.Decode(payload);
        Assert.Null(result.Error);
        Assert.Equal(payload, result.Text.ToArray());
    }

    [Fact]
    public void Gzip_and_zlib_are_detected_by_their_headers()
    {
        var text = Encoding.UTF8.GetBytes("{\"type\":\"a\"}\n{\"type\":\"b\"}");
        Assert.Equal(text, PayloadDecoder.Decode(Gzip(text)).Text.ToArray());
        Assert.Equal(text, PayloadDecoder.Decode(Zlib(text)).Text.ToArray());
    }

    [Fact]
    public void Corrupt_compressed_payload_is_an_error_not_an_exception()
    {
        var result = PayloadDecoder.Decode(new byte[] { 0x78, 0x9c, 0xff, 0xff, 0xff });
        Assert.NotNull(result.Error);
    }

    [Fact]
    public void Lines_are_split_trimmed_and_blank_lines_skipped()
    {
        var seen = new List<(string, int)>();
        var count = PayloadDecoder.SplitLines(Encoding.UTF8.GetBytes("\uFEFF{\"a\":1}\r\n  \n\t{\"b\":2}  \n{\"c\":3}"), (line, i) => seen.Add((Encoding.UTF8.GetString(line.Span), i)));
        Assert.Equal(3, count);
        Assert.Equal([("{\"a\":1}", 0), ("{\"b\":2}", 1), ("{\"c\":3}", 2)], seen);
    }

    [Fact]
    public void Text_that_merely_starts_like_zlib_is_not_mistaken_when_it_is_json()
    {
        Assert.False(Compression.IsZlib("{\"type\":\"a\"}"u8));
        Assert.False(Compression.IsGzip("{\"type\":\"a\"}"u8));
    }
}
