using System.Globalization;
using CsCheck;
using Streaming.Core.Configuration;
using Streaming.Lake.Tests.Support;

namespace Streaming.Lake.Tests;

/// <summary>For arbitrary input through the real Parquet writer: rows DuckDB counts plus kept rejections equal the events.</summary>
public sealed class LakePropertyTests
{
    private static readonly string[] Types = ["a", "B-b", "../x", "", "c"];
    private static readonly string[] Keys = ["v", "V", "params", "id", "hour", "x-y"];

    private static readonly Gen<string> Value = Gen.OneOf(
        Gen.Long.Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Double[-1e9, 1e9].Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
        Gen.Bool.Select(b => b ? "true" : "false"),
        Gen.Const("null"),
        Gen.String[Gen.Char.AlphaNumeric, 0, 8].Select(s => $"\"{s}\""),
        Gen.Const("[1,\"a\"]"),
        Gen.Const("{\"k\":1}"));

    private static readonly Gen<string> Line = Gen.Frequency(
        (12, Gen.Select(
            Gen.Int[0, Types.Length - 1].Select(i => Types[i]),
            Gen.Int[0, 47],
            Gen.Select(Gen.Int[0, Keys.Length - 1].Select(i => Keys[i]), Value, (k, v) => $"\"{k}\":{v}").Array[0, 4],
            (type, hour, fields) => "{" + string.Join(",", fields.Prepend($"\"date\":\"2021-09-{16 + (hour / 24):D2}T{hour % 24:D2}:00:00Z\"").Prepend($"\"type\":\"{type}\"")) + "}")),
        (1, Gen.Const("{\"no\":\"type\"}")),
        (1, Gen.Const("garbage")));

    [Fact]
    public void Rows_plus_rejections_equal_events_through_real_parquet()
    {
        Line.Array[1, 80].Sample(lines =>
        {
            using var dir = new TempDirectory();
            var writer = LakeFixture.ConvertAsync(dir.Path, lines, new LakeOptions { TargetFileSize = new ByteSize(2048), MaxOpenPartitions = 4 }).GetAwaiter().GetResult();
            using var db = new DuckDb();
            long rows = 0;
            foreach (var table in Directory.EnumerateDirectories(dir.Path).Select(Path.GetFileName).Where(t => !t!.StartsWith('_')))
            {
                rows += db.Scalar($"SELECT count(*) FROM {DuckDb.Table(dir.Path, table!)}");
            }

            var rejected = Directory.Exists(Path.Combine(dir.Path, "_errors")) ? db.Scalar($"SELECT count(*) FROM {DuckDb.Errors(dir.Path)}") : 0;
            return rows + rejected == lines.Length && rows == writer.Stats.RowsWritten;
        }, iter: 25, threads: 1);
    }
}
