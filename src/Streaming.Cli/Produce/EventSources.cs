using Streaming.Cli.Demo;
using Streaming.Core.Decoding;

namespace Streaming.Cli.Produce;

/// <summary>Where produce gets its events: one copy per event, since records hold on to them until sent.</summary>
internal static class EventSources
{
    /// <summary>
    /// The non-blank lines of NDJSON, plain or gzip (by content). A line longer than a record is returned cut to one
    /// byte over the limit, so the producer reports it as too large instead of sending part of it.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> ReadNdjson(Func<Stream> open)
    {
        using var stream = Compression.OpenMaybeGzip(open());
        var reader = new LineReader(stream, KinesisLimits.MaxRecordBytes + 1, bufferBytes: 1 << 16);
        while (reader.TryRead(out var line))
        {
            var text = PayloadDecoder.TrimLine(line.Bytes);
            if (!text.IsEmpty)
            {
                yield return text.ToArray();
            }
        }
    }

    /// <summary><paramref name="count"/> demo events whose times span the hour before <paramref name="now"/>.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Generate(long count, int seed, DateTimeOffset now)
    {
        var generator = new DemoEventGenerator(seed, now.AddHours(-1), TimeSpan.FromHours(1));
        for (long i = 0; i < count; i++)
        {
            yield return generator.Next(i, count).ToArray();
        }
    }
}
