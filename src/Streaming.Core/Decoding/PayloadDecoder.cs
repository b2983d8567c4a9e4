using System.IO.Compression;

namespace Streaming.Core.Decoding;

/// <summary>
/// Turns one payload (a Kinesis record's data, or one user record of a KPL aggregate) into the bytes of its
/// events: gzip and zlib payloads are detected by their header and inflated, then the text is split into
/// newline-delimited events. A payload that looks compressed but does not inflate is reported, not guessed at.
/// </summary>
public static class PayloadDecoder
{
    /// <summary>The default cap on an inflated payload, when the caller gives none.</summary>
    public const int MaxInflatedBytes = 256 * 1024 * 1024;

    /// <summary>
    /// Decodes a payload. A compressed one may inflate to at most <paramref name="maxInflatedBytes"/> (the
    /// largest event allowed: a guard against decompression bombs that also bounds the memory one record can
    /// take); past that it is reported as <see cref="PayloadResult.TooLarge"/> without inflating further.
    /// </summary>
    public static PayloadResult Decode(ReadOnlyMemory<byte> payload, int maxInflatedBytes = MaxInflatedBytes)
    {
        var span = payload.Span;
        var gzip = Compression.IsGzip(span);
        if (!gzip && !Compression.IsZlib(span))
        {
            return new PayloadResult(payload, null);
        }

        try
        {
            using var input = new MemoryStream(payload.ToArray(), writable: false);
            using Stream decoder = gzip
                ? new GZipStream(input, CompressionMode.Decompress)
                : new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream(Math.Min(payload.Length * 8, maxInflatedBytes));
            var buffer = new byte[81920];
            int n;
            while ((n = decoder.Read(buffer)) > 0)
            {
                if (output.Length + n > maxInflatedBytes)
                {
                    return new PayloadResult(payload, $"{(gzip ? "gzip" : "zlib")} payload inflates to more than {maxInflatedBytes} bytes, the largest event allowed (MaxEventSize)", TooLarge: true);
                }

                output.Write(buffer, 0, n);
            }

            if (output.Length == 0)
            {
                // A truncated stream can end without an error; an empty result is never a real payload of events.
                return new PayloadResult(payload, $"{(gzip ? "gzip" : "zlib")} payload inflates to nothing");
            }

            return new PayloadResult(output.GetBuffer().AsMemory(0, (int)output.Length), null);
        }
        catch (InvalidDataException e)
        {
            return new PayloadResult(payload, $"{(gzip ? "gzip" : "zlib")} payload does not inflate: {e.Message}");
        }
    }

    /// <summary>Calls <paramref name="onEvent"/> for each non-blank line, with its index among the non-blank lines.</summary>
    public static int SplitLines(ReadOnlyMemory<byte> text, Action<ReadOnlyMemory<byte>, int> onEvent)
    {
        var lines = new EventLines(text);
        while (lines.MoveNext(out var line))
        {
            onEvent(line, lines.Index);
        }

        return lines.Index + 1;
    }

    /// <summary>Drops a trailing carriage return, a UTF-8 byte order mark and surrounding white space.</summary>
    public static ReadOnlyMemory<byte> TrimLine(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        var start = 0;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            start = 3;
        }

        var end = span.Length;
        while (start < end && IsSpace(span[start]))
        {
            start++;
        }

        while (end > start && IsSpace(span[end - 1]))
        {
            end--;
        }

        return line[start..end];
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}

/// <summary>The decoded text of a payload, or why it could not be decoded (then <see cref="Text"/> is the original).</summary>
public readonly record struct PayloadResult(ReadOnlyMemory<byte> Text, string? Error, bool TooLarge = false);
