using System.Globalization;
using Streaming.Core.Configuration;
using Streaming.Lake.Tests.Support;

namespace Streaming.Lake.Tests;

/// <summary>How rows are laid out and encoded in a file: event-time order, statistics, codecs and encodings, read by DuckDB.</summary>
public sealed class ParquetLayoutTests
{
    private static readonly DateTimeOffset Hour = new(2021, 9, 16, 5, 0, 0, TimeSpan.Zero);

    /// <summary>Events of one hour in shuffled time order, with ties, sparse and unicode columns; <c>i</c> is the arrival order.</summary>
    private static List<(int I, long Ms, string Line)> Shuffled(int count)
    {
        var random = new Random(7);
        var events = new List<(int, long, string)>();
        for (var i = 0; i < count; i++)
        {
            // Few distinct milliseconds, so many rows tie and the tie order is tested too; offsets vary like real input.
            var ms = Hour.ToUnixTimeMilliseconds() + (random.Next(0, 400) * 8_999L);
            var offset = TimeSpan.FromHours(i % 3 == 0 ? 9 : 0);
            var date = DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
            var sparse = i % 5 == 0 ? $",\"s\":\"ü-{i}\"" : string.Empty;
            var number = i % 4 == 0 ? string.Empty : $",\"n\":{(i * 7919L) - 5000},\"x\":{i / 8.0},\"b\":{(i % 2 == 0 ? "true" : "false")}";
            events.Add((i, ms, $$"""{"id":"e{{i}}","date":"{{date}}","type":"t","i":{{i}}{{sparse}}{{number}}}"""));
        }

        return events;
    }

    [Fact]
    public async Task Rows_are_written_in_event_time_order_with_ties_in_arrival_order_and_every_value_kept()
    {
        using var dir = new TempDirectory();
        var events = Shuffled(3500);
        await LakeFixture.ConvertAsync(dir.Path, events.Select(e => e.Line), new LakeOptions { RowGroupRows = 1000 });
        using var db = new DuckDb();
        var file = Assert.Single(Directory.EnumerateFiles(Path.Combine(dir.Path, "t"), "*.parquet", SearchOption.AllDirectories));
        var rows = db.Rows($"SELECT id, epoch_ms(date) AS ms, i, s, n, x, b FROM read_parquet('{file}', file_row_number = true) ORDER BY file_row_number");

        // The file's order is the input's, stably sorted by time: computed here independently with LINQ's stable OrderBy.
        var expected = events.OrderBy(e => e.Ms).ToList();
        Assert.Equal(expected.Select(e => (long)e.I), rows.Select(r => (long)r["i"]!));
        Assert.Equal(expected.Select(e => e.Ms), rows.Select(r => (long)r["ms"]!));
        Assert.Contains(rows.Zip(rows.Skip(1)), p => (long)p.First["ms"]! == (long)p.Second["ms"]!);

        // Every column moved with its row: each value is the one its input line had.
        Assert.All(rows, r =>
        {
            var i = (long)r["i"]!;
            Assert.Equal($"e{i}", r["id"]);
            Assert.Equal(i % 5 == 0 ? $"ü-{i}" : null, r["s"]);
            Assert.Equal(i % 4 == 0 ? null : (i * 7919L) - 5000, r["n"]);
            Assert.Equal(i % 4 == 0 ? null : i / 8.0, r["x"]);
            Assert.Equal(i % 4 == 0 ? null : i % 2 == 0, r["b"]);
        });
    }

    [Fact]
    public async Task Each_row_group_has_date_statistics_and_their_ranges_follow_each_other()
    {
        using var dir = new TempDirectory();
        var events = Shuffled(3500);
        await LakeFixture.ConvertAsync(dir.Path, events.Select(e => e.Line), new LakeOptions { RowGroupRows = 1000 });
        using var db = new DuckDb();
        var stats = db.Rows($"""
            SELECT row_group_id, epoch_ms(CAST(stats_min AS TIMESTAMPTZ)) AS lo, epoch_ms(CAST(stats_max AS TIMESTAMPTZ)) AS hi, stats_null_count
            FROM parquet_metadata('{dir.Path}/t/**/*.parquet') WHERE path_in_schema = 'date' ORDER BY row_group_id
            """);

        var expected = events.Select(e => e.Ms).Order().Chunk(1000).Select(c => (c[0], c[^1])).ToList();
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, stats.Select(s => ((long)s["lo"]!, (long)s["hi"]!)));
        Assert.All(stats, s => Assert.Equal(0L, s["stats_null_count"]));

        // Ranges follow each other, so a time filter inside one row group's range lets a reader skip the others.
        Assert.All(stats.Zip(stats.Skip(1)), p => Assert.True((long)p.First["hi"]! <= (long)p.Second["lo"]!));
    }

    [Fact]
    public async Task Unsorted_when_asked_rows_stay_in_arrival_order()
    {
        using var dir = new TempDirectory();
        var events = Shuffled(500);
        await LakeFixture.ConvertAsync(dir.Path, events.Select(e => e.Line), new LakeOptions { SortByEventTime = false });
        using var db = new DuckDb();
        var rows = db.Rows($"SELECT i FROM read_parquet('{dir.Path}/t/**/*.parquet', file_row_number = true) ORDER BY file_row_number");
        Assert.Equal(events.Select(e => (long)e.I), rows.Select(r => (long)r["i"]!));
    }

    [Fact]
    public async Task Bigint_columns_are_delta_encoded_and_read_back_exactly_at_the_extremes()
    {
        using var dir = new TempDirectory();
        long[] values = [0, -1, 1, long.MaxValue, long.MinValue, long.MaxValue, -4_611_686_018_427_387_904, 42, long.MinValue + 1, 7];
        var lines = values.Select((v, i) => $$"""{"date":"2021-09-16T05:00:0{{i}}Z","type":"t","v":{{v}}}""");
        await LakeFixture.ConvertAsync(dir.Path, lines);
        using var db = new DuckDb();
        var glob = $"{dir.Path}/t/**/*.parquet";
        Assert.Equal(values.Select(v => (object?)v), db.Rows($"SELECT v FROM read_parquet('{glob}') ORDER BY date").Select(r => r["v"]));
        var meta = db.Rows($"SELECT path_in_schema AS col, encodings, compression, stats_min, stats_max FROM parquet_metadata('{glob}')").ToDictionary(m => (string)m["col"]!);
        Assert.Contains("DELTA_BINARY_PACKED", (string)meta["v"]["encodings"]!, StringComparison.Ordinal);
        Assert.Equal(long.MinValue.ToString(CultureInfo.InvariantCulture), meta["v"]["stats_min"]);
        Assert.Equal(long.MaxValue.ToString(CultureInfo.InvariantCulture), meta["v"]["stats_max"]);
    }

    [Fact]
    public async Task Without_delta_encoding_bigint_columns_are_plain()
    {
        using var dir = new TempDirectory();
        await LakeFixture.ConvertAsync(dir.Path, ["""{"date":"2021-09-16T05:00:00Z","type":"t","v":5}"""], new LakeOptions { DeltaEncoding = false });
        using var db = new DuckDb();
        var encodings = (string)db.Rows($"SELECT encodings FROM parquet_metadata('{dir.Path}/t/**/*.parquet') WHERE path_in_schema = 'v'")[0]["encodings"]!;
        Assert.DoesNotContain("DELTA", encodings, StringComparison.Ordinal);
        Assert.Contains("PLAIN", encodings, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ParquetCompression.Zstd, ParquetCompressionLevel.Fastest, "ZSTD")]
    [InlineData(ParquetCompression.Zstd, ParquetCompressionLevel.Optimal, "ZSTD")]
    [InlineData(ParquetCompression.Zstd, ParquetCompressionLevel.Smallest, "ZSTD")]
    [InlineData(ParquetCompression.Snappy, ParquetCompressionLevel.Fastest, "SNAPPY")]
    [InlineData(ParquetCompression.Gzip, ParquetCompressionLevel.Smallest, "GZIP")]
    [InlineData(ParquetCompression.None, ParquetCompressionLevel.Fastest, "UNCOMPRESSED")]
    public async Task Every_codec_and_level_reads_back_the_same_rows(ParquetCompression codec, ParquetCompressionLevel level, string expected)
    {
        using var dir = new TempDirectory();
        var events = Shuffled(2000);
        await LakeFixture.ConvertAsync(dir.Path, events.Select(e => e.Line), new LakeOptions { Compression = codec, CompressionLevel = level });
        using var db = new DuckDb();
        var glob = $"{dir.Path}/t/**/*.parquet";
        Assert.All(db.Rows($"SELECT compression FROM parquet_metadata('{glob}')"), m => Assert.Equal(expected, m["compression"]));
        var rows = db.Rows($"SELECT i, id, n FROM read_parquet('{glob}') ORDER BY i");
        Assert.Equal(events.Select(e => (long)e.I), rows.Select(r => (long)r["i"]!));
        Assert.All(rows, r => Assert.Equal($"e{r["i"]}", r["id"]));
        Assert.All(rows, r => Assert.Equal((long)r["i"]! % 4 == 0 ? null : ((long)r["i"]! * 7919L) - 5000, r["n"]));
    }
}
