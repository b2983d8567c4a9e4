using System.Text;
using CsCheck;
using Streaming.Core.Decoding;
using Streaming.Core.Ingest;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Lake;

/// <summary>For any input: rows in tables plus kept rejected records equal the events given (blank lines are not events).</summary>
public sealed class PropertyTests
{
    private static readonly string[] Types = ["a", "B-b", "c.c", "../x", "", "_e", "f"];
    private static readonly string[] Keys = ["x", "X", "params", "id", "date", "n", "hour", "a-b", "a_b", "日本"];

    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double[-1e6, 1e6].Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Const("true"), Gen.Const("null"), Gen.Const("1e999"), Gen.Const("123456789012345678901234"),
        Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(s => $"\"{s}\""),
        Gen.Const("\"2021-09-16T05:57:27Z\""), Gen.Const("\"2021-09-16T14:57:27.5+09:00\""), Gen.Const("[1,{\"a\":2}]"));

    private static readonly Gen<string> Field = Gen.Select(Gen.Int[0, Keys.Length - 1].Select(i => Keys[i]), Gen.OneOf(Scalar, Scalar.Select(s => $"{{\"x\":{s},\"y\":{{\"z\":{s}}}}}")), (k, v) => $"\"{k}\":{v}");

    private static readonly Gen<string> Event = Gen.Select(
        Gen.Int[0, Types.Length - 1].Select(i => Types[i]).Select(t => $"\"type\":\"{t}\"").Null(0.1),
        Field.Array[0, 6],
        (type, fields) => "{" + string.Join(",", Enumerable.Prepend(fields, type).Where(f => f is not null)) + "}");

    private static readonly Gen<string> Line = Gen.Frequency(
        (20, Event),
        (1, Gen.Const("not json")),
        (1, Gen.Const("[1,2]")),
        (1, Gen.Const("{\"type\":\"a\"")),
        (1, Gen.Const("   ")),
        (1, Gen.String[Gen.Char, 0, 20]));

    [Fact]
    public void Every_event_is_a_row_or_a_kept_rejection_exactly_once()
    {
        Line.Array[0, 60].Sample(lines =>
        {
            var lake = TestLake.CreateAsync(new Core.Configuration.LakeOptions { TargetFileSize = new Core.Configuration.ByteSize(4096) }).GetAwaiter().GetResult();
            var text = Encoding.UTF8.GetBytes(string.Join('\n', lines));
            NdjsonIngest.IngestAsync(new MemoryStream(text), "p.ndjson", lake.Writer, 1 << 20, lake.Time).GetAwaiter().GetResult();
            lake.FlushAsync().GetAwaiter().GetResult();
            var events = string.Join('\n', lines).Split('\n').Count(l => PayloadDecoder.TrimLine(Encoding.UTF8.GetBytes(l)).Length > 0);
            var rows = lake.Files.AllRows.Count();
            var rejected = lake.Rejected().Count;
            return rows + rejected == events && lake.Writer.Stats.Events == events && lake.Writer.Stats.RowsWritten == rows;
        }, iter: 300);
    }
}

