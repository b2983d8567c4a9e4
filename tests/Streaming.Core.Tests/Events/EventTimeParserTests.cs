using System.Globalization;
using System.Text;
using Streaming.Core.Events;

namespace Streaming.Core.Tests.Events;

public sealed class EventTimeParserTests
{
    [Theory]
    [InlineData("2021-09-16T05:57:27Z", "2021-09-16T05:57:27.000Z")]
    [InlineData("2021-09-16t05:57:27z", "2021-09-16T05:57:27.000Z")]
    [InlineData("2021-09-16T05:57:27.1Z", "2021-09-16T05:57:27.100Z")]
    [InlineData("2021-09-16T05:57:27.123456789Z", "2021-09-16T05:57:27.123Z")]
    [InlineData("2021-09-16T05:57:27,5Z", "2021-09-16T05:57:27.500Z")]
    [InlineData("2021-09-16T14:57:27+09:00", "2021-09-16T05:57:27.000Z")]
    [InlineData("2021-09-16T14:57:27+0900", "2021-09-16T05:57:27.000Z")]
    [InlineData("2021-09-16T14:57:27+09", "2021-09-16T05:57:27.000Z")]
    [InlineData("2021-09-16T11:27:27+05:30", "2021-09-16T05:57:27.000Z")]
    [InlineData("2021-09-15T23:57:27-06:00", "2021-09-16T05:57:27.000Z")]
    [InlineData("2021-09-16T05:57", "2021-09-16T05:57:00.000Z")]
    [InlineData("2021-09-16T05:57:27", "2021-09-16T05:57:27.000Z")]
    [InlineData("2021-09-16 05:57:27Z", "2021-09-16T05:57:27.000Z")]
    [InlineData("2021-09-16", "2021-09-16T00:00:00.000Z")]
    [InlineData("2020-02-29T00:00:00Z", "2020-02-29T00:00:00.000Z")]
    [InlineData("2016-12-31T23:59:60Z", "2016-12-31T23:59:59.999Z")]
    [InlineData("1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z")]
    public void Parses_iso8601_to_utc_milliseconds(string text, string expected)
    {
        Assert.True(EventTimeParser.TryParse(Encoding.UTF8.GetBytes(text), out var ms));
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), ms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2021-9-16T05:57:27Z")]
    [InlineData("2021-13-01T00:00:00Z")]
    [InlineData("2021-02-29T00:00:00Z")]
    [InlineData("2021-09-31T00:00:00Z")]
    [InlineData("2021-09-16T24:00:00Z")]
    [InlineData("2021-09-16T05:60:00Z")]
    [InlineData("2021-09-16T05:57:27.Z")]
    [InlineData("2021-09-16T05:57:27ZZ")]
    [InlineData("2021-09-16T05:57:27+25:00")]
    [InlineData("2021-09-16T05:57:27 +09:00")]
    [InlineData("16/09/2021")]
    [InlineData("1969-12-31T23:59:59Z")]
    [InlineData("2100-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2021-09-16X05:57:27Z")]
    public void Rejects_anything_else(string text)
    {
        Assert.False(EventTimeParser.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void Agrees_with_the_framework_on_random_instants_and_offsets()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var ms = (long)(random.NextDouble() * 4_000_000_000_000L);
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
            var time = DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(offset);
            var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
            Assert.True(EventTimeParser.TryParse(Encoding.UTF8.GetBytes(text), out var parsed), text);
            Assert.Equal(ms, parsed);
        }
    }
}
