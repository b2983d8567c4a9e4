using System.Text;
using CsCheck;
using Streaming.Core.Events;

namespace Streaming.Core.Tests.Events;

/// <summary>
/// The normaliser reads plain events with a fast scanner and leaves everything else to Utf8JsonReader. Putting
/// an array first in the object forces the reader path; both paths must then agree on every input, valid or
/// broken: the same rejection or the same table, time and fields.
/// </summary>
public sealed class FastPathDifferentialTests
{
    private static readonly string[] Keys = ["type", "date", "id", "params", "a", "A-b", "x.y", "hour", "\u00e9", "n"];

    private static readonly string[] Scalars =
    [
        "\"t\"", "\"page-view\"", "\"../x\"", "\"2021-09-16T05:57:27Z\"", "\"2021-09-16T14:57:27.123+09:00\"", "\"nope\"", "\"\"",
        "\"a\\\"b\"", "\"tab\\tx\"", "\"\\u00e9\\u65e5\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"x\\udc00\"", "\"\\/\"", "\"\\u0000\"",
        "0", "-0", "7", "-12", "123456789012345678", "1234567890123456789", "12345678901234567890123", "1.5", "-0.25", "1e3", "2E-2", "1e999", "3.0",
        "true", "false", "null", "{}", "{\"k\":1}", "{\"k\":{\"m\":\"v\"}}",
    ];

    private static readonly string[] Breakers =
    [
        "01", "1.", ".5", "-", "+1", "1e", "1e+", "tru", "nul", "\"unterminated", "\"bad\\q\"", "\"ctl\u0001\"", ",", "}", "{", ":", "\"k\"",
        "NaN", "Infinity", "'s'", "[1,]", "1 2",
    ];

    private static readonly Gen<string> Value = Gen.Frequency(
        (12, Gen.Int[0, Scalars.Length - 1].Select(i => Scalars[i])),
        (1, Gen.Int[0, Breakers.Length - 1].Select(i => Breakers[i])));

    private static readonly Gen<string> Member = Gen.Select(Gen.Int[0, Keys.Length - 1], Value, Gen.Int[0, 9], (k, v, ws) =>
        ws == 0 ? $" \"{Keys[k]}\" : {v} " : $"\"{Keys[k]}\":{v}");

    private static readonly Gen<string> Event = Gen.Select(Member.Array[0, 8], Gen.Int[0, 29], (members, shape) => shape switch
    {
        0 => "{" + string.Join(",", members) + ",}",
        1 => "{" + string.Join(",", members) + "} x",
        2 => "[" + string.Join(",", members) + "]",
        3 => "{" + string.Join(" ", members) + "}",
        _ => "{" + string.Join(",", members) + "}",
    });

    private static string Describe(EventNormalizer normalizer, string json)
    {
        var ev = new NormalizedEvent();
        var bytes = Encoding.UTF8.GetBytes(json);
        if (!normalizer.Normalize(bytes, 42_000, ev))
        {
            return "rejected";
        }

        var fields = ev.Fields.ToArray()
            .Where(f => f.Column != "zz_force")
            .Select(f => $"{f.Column}|{f.Kind}|{f.Int64}|{f.Double}|{Encoding.UTF8.GetString(ev.ValueBytes(f, bytes))}|{Encoding.UTF8.GetString(ev.RawBytes(f, bytes))}|{f.RescueKey}");
        return $"{ev.Table} {ev.EventTimeMs} {ev.UsedArrivalTime}\n{string.Join("\n", fields)}";
    }

    [Fact]
    public void Fast_and_reader_paths_agree_on_arbitrary_valid_and_broken_events()
    {
        Event.Sample(json =>
        {
            var forced = json.StartsWith('{') ? "{\"zz_force\":[0]," + json[1..] : json;
            if (json.StartsWith("{}", StringComparison.Ordinal) || json.StartsWith("{ }", StringComparison.Ordinal))
            {
                forced = "{\"zz_force\":[0]" + json[1..];
            }

            var fast = Describe(new EventNormalizer(), json);
            var reader = Describe(new EventNormalizer(), forced);
            return fast == reader;
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("{\"type\":\"t\",\"n\":01}")]
    [InlineData("{\"type\":\"t\",\"n\":1.}")]
    [InlineData("{\"type\":\"t\",\"n\":-}")]
    [InlineData("{\"type\":\"t\",\"s\":\"a\u0001b\"}")]
    [InlineData("{\"type\":\"t\",\"s\":\"\\x\"}")]
    [InlineData("{\"type\":\"t\",}")]
    [InlineData("{\"type\":\"t\"}}")]
    [InlineData("{\"type\":\"t\" \"a\":1}")]
    [InlineData("{\"type\":tru}")]
    public void Invalid_json_is_rejected_whichever_path_reads_it(string json)
    {
        var ev = new NormalizedEvent();
        Assert.False(new EventNormalizer().Normalize(Encoding.UTF8.GetBytes(json), 0, ev));
        Assert.Equal(RejectReason.InvalidJson, ev.Rejection);
    }
}

public sealed class HostileInputTests
{
    private static readonly string[] Pieces =
    [
        "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\ud8", "\\udc", "\\u00", "\\x", "type", "date", "params", "\"type\"", "\"t\"",
        "0", "-", "1e", "9999999999999999999999", "true", "null", " ", "\n", "\t", "\u00e9", "\uffff", "\u0001", "2021-09-16T05:00:00Z",
    ];

    [Fact]
    public void No_input_makes_the_normaliser_throw()
    {
        var gen = CsCheck.Gen.Frequency(
            (4, CsCheck.Gen.Int[0, Pieces.Length - 1].Select(i => Pieces[i]).Array[0, 40].Select(p => Encoding.UTF8.GetBytes(string.Concat(p)))),
            (1, CsCheck.Gen.Byte.Array[0, 64]),
            (1, CsCheck.Gen.Int[0, 0xFFFF].Select(h => Encoding.UTF8.GetBytes($"{{\"type\":\"t\",\"s\":\"\\u{h:x4}\",\"k\\u{h:x4}\":1}}"))));
        gen.Sample(bytes =>
        {
            var ev = new NormalizedEvent();
            var ok = new EventNormalizer(maxEventBytes: 4096).Normalize(bytes, 0, ev);
            return ok || ev.Rejection is not null;
        }, iter: 30_000);
    }
}
