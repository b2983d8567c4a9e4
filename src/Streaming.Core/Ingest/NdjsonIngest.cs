using Streaming.Core.Decoding;
using Streaming.Core.Events;
using Streaming.Core.Lake;

namespace Streaming.Core.Ingest;

/// <summary>
/// Feeds newline-delimited JSON (plain or gzip, detected by its first bytes) into a <see cref="LakeWriter"/>:
/// one event per non-blank line, its position being the line number. Used by <c>convert</c> and <c>demo</c>.
/// </summary>
public static class NdjsonIngest
{
    public static async Task<long> IngestAsync(
        Stream input,
        string sourceName,
        LakeWriter writer,
        long maxEventBytes,
        TimeProvider time,
        Action<long>? onBytesRead = null,
        CancellationToken cancellationToken = default)
    {
        using var stream = Compression.OpenMaybeGzip(input);
        var reader = new LineReader(stream, (int)Math.Min(int.MaxValue - 1, maxEventBytes + 1));
        long lines = 0;
        var reported = 0L;
        long arrival = 0;
        while (reader.TryRead(out var line))
        {
            // The time of processing stands in for arrival; reading the clock every line would cost more than parsing.
            if ((lines++ & 0x3FF) == 0)
            {
                arrival = time.GetUtcNow().ToUnixTimeMilliseconds();
            }

            var position = SourcePosition.Line(sourceName, line.Number);
            if (line.Truncated)
            {
                writer.Reject(line.Bytes.Span, position, arrival, RejectReason.TooLarge,
                    $"line is {line.Length} bytes, more than the limit of {maxEventBytes}; its first {line.Bytes.Length} bytes are kept", line.Length);
            }
            else
            {
                var trimmed = PayloadDecoder.TrimLine(line.Bytes);
                if (trimmed.IsEmpty)
                {
                    continue;
                }

                writer.Append(trimmed.Span, position, arrival);
            }

            if (writer.FlushPending)
            {
                await writer.FlushDueAsync(cancellationToken).ConfigureAwait(false);
            }

            if (onBytesRead is not null && (lines & 0x3FFF) == 0)
            {
                onBytesRead(reader.BytesRead - reported);
                reported = reader.BytesRead;
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        onBytesRead?.Invoke(reader.BytesRead - reported);
        return lines;
    }
}
