using System.IO.Compression;
using System.Text;
using Streaming.Cli.Produce;

namespace Streaming.Aws.Tests.Produce;

public sealed class EventSourcesTests
{
    [Fact]
    public void Gzip_NDJSON_gives_one_copy_per_non_blank_line()
    {
        var text = "{\"id\":1}\r\n\n   \n{\"id\":2}\n{\"id\":3}";
        var gzip = new MemoryStream();
        using (var writer = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            writer.Write(Encoding.UTF8.GetBytes(text));
        }

        var events = EventSources.ReadNdjson(() => new MemoryStream(gzip.ToArray())).ToList();
        var plain = EventSources.ReadNdjson(() => new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();

        Assert.Equal(["{\"id\":1}", "{\"id\":2}", "{\"id\":3}"], events.Select(e => Encoding.UTF8.GetString(e.Span)));
        Assert.Equal(events.Select(e => e.ToArray()), plain.Select(e => e.ToArray()));
    }

    [Fact]
    public void A_line_longer_than_a_record_comes_out_one_byte_too_large_to_send()
    {
        var text = "{\"id\":1}\n" + new string('x', (2 * 1024 * 1024) + 5) + "\n{\"id\":2}\n";

        var events = EventSources.ReadNdjson(() => new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();

        Assert.Equal([8, KinesisLimits.MaxRecordBytes + 1, 8], events.Select(e => e.Length));
    }

    [Fact]
    public void Generated_events_are_deterministic_for_a_seed_and_carry_a_user()
    {
        var now = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

        var one = EventSources.Generate(50, 7, now).Select(e => Encoding.UTF8.GetString(e.Span)).ToList();
        var two = EventSources.Generate(50, 7, now).Select(e => Encoding.UTF8.GetString(e.Span)).ToList();

        Assert.Equal(one, two);
        Assert.Equal(50, one.Distinct().Count());
        Assert.All(one, e => Assert.Contains("\"user_id\":", e, StringComparison.Ordinal));
    }
}
