using Streaming.Core.Configuration;
using Streaming.Lake.Tests.Support;

namespace Streaming.Lake.Tests;

/// <summary>What the Parquet.Net adapter writes, read back by DuckDB as an Athena user's query would see it.</summary>
public sealed class ParquetRoundTripTests
{
    private static readonly string[] Events =
    [
        """{"id":"e1","date":"2021-09-16T05:57:27.123Z","type":"payment","user_id":1,"locale":"ja","country_code":"JP","params":{"amount":1200,"currency":"JPY","card":{"brand":"visa"},"coupons":["A","B"],"first":true}}""",
        """{"id":"e2","date":"2021-09-16T15:10:00+09:00","type":"payment","user_id":2,"locale":"en","country_code":"US","params":{"amount":9.99,"currency":"USD","card":{"brand":"amex"},"first":false,"note":"日本語 😀 \"q\""}}""",
        """{"id":"e3","date":"2021-09-16T07:00:00Z","type":"payment","user_id":3,"params":{"amount":19.5,"first":"maybe"}}""",
        """{"id":"e4","date":"2021-09-16T05:00:00Z","type":"user_registration","user_id":4,"params":{"provider":"twitter"}}""",
    ];

    [Fact]
    public async Task Types_values_and_partitions_read_back_as_athena_expects()
    {
        using var dir = new TempDirectory();
        await LakeFixture.ConvertAsync(dir.Path, Events);
        using var db = new DuckDb();
        var payment = DuckDb.Table(dir.Path, "payment");

        var types = db.Types(payment);
        Assert.Equal("VARCHAR", types["id"]);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["date"]);
        Assert.Equal("BIGINT", types["user_id"]);
        Assert.Equal("DOUBLE", types["amount"]);
        Assert.Equal("BOOLEAN", types["first"]);
        Assert.Equal("VARCHAR", types["coupons"]);
        Assert.Equal("VARCHAR", types["card_brand"]);
        Assert.Equal("VARCHAR", types["_rescued"]);
        Assert.Equal("INTEGER", types["hour"]);

        var rows = db.Rows($"SELECT id, epoch_ms(date) AS ms, user_id, amount, first, coupons, card_brand, note, _rescued, year, month, day, hour FROM {payment} ORDER BY id");
        Assert.Equal(3, rows.Count);
        Assert.Equal(new DateTimeOffset(2021, 9, 16, 5, 57, 27, 123, TimeSpan.Zero).ToUnixTimeMilliseconds(), rows[0]["ms"]);
        Assert.Equal(1200.0, rows[0]["amount"]);
        Assert.Equal(true, rows[0]["first"]);
        Assert.Equal("""["A","B"]""", rows[0]["coupons"]);
        Assert.Equal("visa", rows[0]["card_brand"]);
        Assert.Equal((2021, 9, 16, 5), ((int)rows[0]["year"]!, (int)rows[0]["month"]!, (int)rows[0]["day"]!, (int)rows[0]["hour"]!));
        Assert.Equal(6, rows[1]["hour"]);
        Assert.Equal(9.99, rows[1]["amount"]);
        Assert.Equal("日本語 😀 \"q\"", rows[1]["note"]);
        Assert.Null(rows[1]["coupons"]);
        Assert.Null(rows[2]["first"]);
        Assert.Equal("""{"first":"maybe"}""", rows[2]["_rescued"]);
        Assert.Equal(1L, db.Scalar($"SELECT count(*) FROM {DuckDb.Table(dir.Path, "user_registration")} WHERE provider = 'twitter'"));
    }

    [Fact]
    public async Task Timestamps_are_int64_milliseconds_adjusted_to_utc_and_strings_utf8()
    {
        using var dir = new TempDirectory();
        await LakeFixture.ConvertAsync(dir.Path, Events);
        using var db = new DuckDb();
        var file = Directory.EnumerateFiles(Path.Combine(dir.Path, "payment"), "*.parquet", SearchOption.AllDirectories).First();
        var schema = db.Rows($"SELECT name, type, logical_type FROM parquet_schema('{file}')").ToDictionary(r => (string)r["name"]!);
        Assert.Equal("INT64", schema["date"]["type"]);
        Assert.Contains("isAdjustedToUTC=1", (string)schema["date"]["logical_type"]!, StringComparison.Ordinal);
        Assert.Contains("MILLIS", (string)schema["date"]["logical_type"]!, StringComparison.Ordinal);
        Assert.Equal("BYTE_ARRAY", schema["id"]["type"]);
        Assert.Contains("StringType", (string)schema["id"]["logical_type"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(schema.Values, r => (string)r["type"]! == "INT96");
    }

    [Fact]
    public async Task Files_have_statistics_dictionary_encoded_strings_and_the_chosen_compression()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 3000).Select(i => $$"""{"id":"id-{{i}}","date":"2021-09-16T05:00:00Z","type":"t","n":{{i}},"country_code":"{{(i % 3 == 0 ? "JP" : "US")}}"}""");
        await LakeFixture.ConvertAsync(dir.Path, lines, new LakeOptions { Compression = ParquetCompression.Zstd, RowGroupRows = 1000 });
        using var db = new DuckDb();
        var glob = $"{dir.Path}/t/**/*.parquet";
        var meta = db.Rows($"SELECT path_in_schema AS col, row_group_id, compression, encodings, stats_min, stats_max FROM parquet_metadata('{glob}')");
        Assert.Equal(3, meta.Select(m => m["row_group_id"]).Distinct().Count());
        Assert.All(meta, m => Assert.Equal("ZSTD", m["compression"]));
        var n = meta.Where(m => (string)m["col"]! == "n").OrderBy(m => (long)m["row_group_id"]!).ToList();
        Assert.Equal(["0", "1000", "2000"], n.Select(m => m["stats_min"]));
        Assert.Equal(["999", "1999", "2999"], n.Select(m => m["stats_max"]));
        Assert.Contains("DICTIONARY", (string)meta.First(m => (string)m["col"]! == "country_code")["encodings"]!, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 3000).Sum(), db.Scalar($"SELECT sum(n) FROM read_parquet('{glob}')"));
        Assert.Equal(1000L, db.Scalar($"SELECT count(*) FROM read_parquet('{glob}') WHERE country_code = 'JP'"));
    }

    [Fact]
    public async Task Row_order_and_nulls_survive_many_row_groups_and_sparse_columns()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 5000).Select(i => i % 7 == 0
            ? $$"""{"date":"2021-09-16T05:00:00Z","type":"t","i":{{i}},"sparse":"s{{i}}","late":{{(i > 4000 ? i : 0)}}}"""
            : $$"""{"date":"2021-09-16T05:00:00Z","type":"t","i":{{i}}}""");
        await LakeFixture.ConvertAsync(dir.Path, lines, new LakeOptions { RowGroupRows = 1024 });
        using var db = new DuckDb();
        var rows = db.Rows($"SELECT i, sparse, late FROM read_parquet('{dir.Path}/t/**/*.parquet')");
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), rows.Select(r => (long)r["i"]!));
        Assert.All(rows, r => Assert.Equal((long)r["i"]! % 7 == 0 ? $"s{r["i"]}" : null, r["sparse"]));
    }

    [Fact]
    public async Task The_same_input_writes_byte_identical_files()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        await LakeFixture.ConvertAsync(a.Path, Events);
        await LakeFixture.ConvertAsync(b.Path, Events);
        var files = Directory.EnumerateFiles(a.Path, "*.parquet", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a.Path, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.EnumerateFiles(b.Path, "*.parquet", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(b.Path, f)).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, f)), File.ReadAllBytes(Path.Combine(b.Path, f))));
    }

    [Fact]
    public async Task Rejected_events_are_readable_with_their_reason()
    {
        using var dir = new TempDirectory();
        await LakeFixture.ConvertAsync(dir.Path, ["{broken", """{"type":"../../x"}""", """{"type":"ok","date":"2021-09-16T05:00:00Z"}"""]);
        using var db = new DuckDb();
        var errors = db.Rows($"SELECT reason, raw, source_line FROM {DuckDb.Errors(dir.Path)} ORDER BY source_line");
        Assert.Equal(["invalid_json", "invalid_type"], errors.Select(e => e["reason"]));
        Assert.Equal("{broken", errors[0]["raw"]);
        Assert.Equal(2L, errors[1]["source_line"]);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "x")));
        Assert.Equal(["_errors", "_schemas", "ok"], Directory.EnumerateDirectories(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
