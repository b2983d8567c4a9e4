using System.IO.Compression;

namespace Streaming.Core.Decoding;

/// <summary>Recognises compressed payloads by their first bytes, never by a name.</summary>
public static class Compression
{
    public static bool IsGzip(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 0x1f && data[1] == 0x8b;

    /// <summary>A zlib header: deflate method, window ≤ 32 KiB, and a header checksum divisible by 31.</summary>
    public static bool IsZlib(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && (data[0] & 0x0f) == 8 && (data[0] >> 4) <= 7 && ((data[0] << 8) | data[1]) % 31 == 0;

    /// <summary>Wraps <paramref name="stream"/> in a gzip decoder when it starts with the gzip magic.</summary>
    public static Stream OpenMaybeGzip(Stream stream)
    {
        var buffered = stream.CanSeek ? stream : new BufferedStream(stream, 1 << 16);
        Span<byte> head = stackalloc byte[2];
        var n = buffered.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        if (buffered.CanSeek)
        {
            buffered.Seek(-n, SeekOrigin.Current);
            return n == 2 && IsGzip(head) ? new GZipStream(buffered, CompressionMode.Decompress) : buffered;
        }

        // Not seekable (stdin): put the two bytes back in front.
        var rest = new PrefixedStream(head[..n].ToArray(), buffered);
        return n == 2 && IsGzip(head) ? new GZipStream(rest, CompressionMode.Decompress) : rest;
    }
}
