using Streaming.Core.Schema;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Buffers;

public sealed class TypeStabilityTests
{
    private const string Date = "\"date\":\"2021-09-16T05:00:00Z\"";

    [Fact]
    public async Task A_value_its_column_cannot_hold_goes_to_rescued_with_its_column_name()
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync(
            $$"""{"type":"t",{{Date}},"x":1,"flag":true}""",
            $$"""{"type":"t",{{Date}},"x":"one","flag":"yes"}""");
        await lake.FlushAsync();
        var rows = lake.RowsOf("t");
        Assert.Equal(1L, rows[0]["x"]);
        Assert.False(rows[1].ContainsKey("x"));
        Assert.Equal("""{"x":"one","flag":"yes"}""", rows[1]["_rescued"]);
        Assert.Equal(ColumnType.Int64, lake.Writer.Schemas.Get("t").Columns.Single(c => c.Name == "x").Type);
        Assert.Equal(2, lake.Writer.Stats.RescuedValues);
    }

    [Fact]
    public async Task Any_scalar_fits_a_string_column_as_its_exact_json_text()
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync(
            $$"""{"type":"t",{{Date}},"s":"text"}""",
            $$"""{"type":"t",{{Date}},"s":42}""",
            $$"""{"type":"t",{{Date}},"s":1.50}""",
            $$"""{"type":"t",{{Date}},"s":true}""",
            $$"""{"type":"t",{{Date}},"s":[1, 2]}""");
        await lake.FlushAsync();
        Assert.Equal(["text", "42", "1.50", "true", "[1, 2]"], lake.RowsOf("t").Select(r => r["s"]));
        Assert.Equal(0, lake.Writer.Stats.RescuedValues);
    }

    [Fact]
    public async Task Integers_widen_into_a_double_column()
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync($$"""{"type":"t",{{Date}},"d":0.5}""", $$"""{"type":"t",{{Date}},"d":3}""");
        await lake.FlushAsync();
        Assert.Equal([0.5, 3.0], lake.RowsOf("t").Select(r => r["d"]));
    }

    [Fact]
    public async Task A_whole_double_fits_a_bigint_column_and_a_fraction_does_not()
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync($$"""{"type":"t",{{Date}},"n":1}""");
        await lake.FlushAsync();
        await lake.AppendAsync($$"""{"type":"t",{{Date}},"n":2.0}""", $$"""{"type":"t",{{Date}},"n":2.5}""", $$"""{"type":"t",{{Date}},"n":1e300}""");
        await lake.FlushAsync();
        var rows = lake.RowsOf("t");
        Assert.Equal(2L, rows[1]["n"]);
        Assert.Equal("""{"n":2.5}""", rows[2]["_rescued"]);
        Assert.Equal("""{"n":1e300}""", rows[3]["_rescued"]);
    }

    [Fact]
    public async Task A_bigint_column_not_yet_saved_widens_to_double_when_a_fraction_arrives()
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync(
            $$"""{"type":"payment",{{Date}},"amount":1200}""",
            """{"type":"payment","date":"2021-09-16T06:00:00Z","amount":1500}""",
            $$"""{"type":"payment",{{Date}},"amount":9.99}""");
        await lake.FlushAsync();
        Assert.Equal(ColumnType.Double, lake.Writer.Schemas.Get("payment").Columns.Single(c => c.Name == "amount").Type);
        Assert.Equal([1200.0, 9.99, 1500.0], lake.RowsOf("payment").Select(r => r["amount"]));
        Assert.Equal(0, lake.Writer.Stats.RescuedValues);
    }

    [Fact]
    public async Task A_saved_bigint_column_never_changes_type_even_across_writers()
    {
        var store = new InMemoryLakeStore();
        var first = await TestLake.CreateAsync(store: store);
        await first.AppendAsync($$"""{"type":"payment",{{Date}},"amount":1200}""");
        await first.FlushAsync();

        var second = await TestLake.CreateAsync(store: store);
        await second.AppendAsync($$"""{"type":"payment",{{Date}},"amount":9.99,"extra":"new"}""");
        await second.FlushAsync();
        var row = Assert.Single(second.Files.AllRows);
        Assert.Equal("""{"amount":9.99}""", row["_rescued"]);
        var schema = second.Writer.Schemas.Get("payment");
        Assert.Equal(ColumnType.Int64, schema.Columns.Single(c => c.Name == "amount").Type);
        Assert.Equal(2, schema.SavedVersion);
        Assert.Contains("_schemas/payment/v00001.json", store.Objects.Keys);
        Assert.Contains("_schemas/payment/v00002.json", store.Objects.Keys);
        var latest = SchemaDocument.Parse(store.Objects["_schemas/payment.json"]);
        Assert.Equal(2, latest.Version);
        Assert.Equal(2, latest.Columns.Single(c => c.Name == "extra").Since);
        Assert.Equal(1, latest.Columns.Single(c => c.Name == "amount").Since);
    }

    [Fact]
    public async Task New_fields_add_columns_and_earlier_rows_read_null()
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync($$"""{"type":"t",{{Date}},"a":1}""", $$"""{"type":"t",{{Date}},"b":"x"}""");
        await lake.FlushAsync();
        var rows = lake.RowsOf("t");
        Assert.False(rows[0].ContainsKey("b"));
        Assert.Equal("x", rows[1]["b"]);
        Assert.False(rows[1].ContainsKey("a"));
    }

    [Fact]
    public async Task Past_the_column_limit_new_fields_are_rescued()
    {
        var lake = await TestLake.CreateAsync(new Core.Configuration.LakeOptions { MaxColumnsPerTable = 10 });
        var fields = string.Join(",", Enumerable.Range(0, 20).Select(i => $"\"f{i}\":{i}"));
        await lake.AppendAsync($$"""{"type":"t",{{Date}},{{fields}}}""");
        await lake.FlushAsync();
        var row = Assert.Single(lake.Files.AllRows);
        Assert.Equal(10, lake.Writer.Schemas.Get("t").Count - 1);
        Assert.Contains("\"f19\":19", (string)row["_rescued"]!, StringComparison.Ordinal);
    }
}

public sealed class ConcurrentWriterSchemaTests
{
    private const string Date = "\"date\":\"2021-09-16T05:00:00Z\"";

    [Fact]
    public async Task A_writer_that_loses_the_race_adopts_the_saved_types_and_rescues_what_does_not_fit()
    {
        var store = new InMemoryLakeStore();
        var first = await TestLake.CreateAsync(store: store);
        var second = await TestLake.CreateAsync(store: store);
        await first.AppendAsync($$"""{"type":"t",{{Date}},"a":"text","b":2.5,"c":1,"d":true}""");
        await second.AppendAsync(
            $$"""{"type":"t",{{Date}},"a":7,"b":3,"c":"x","d":1,"e":"new"}""",
            $$"""{"type":"t",{{Date}},"a":8,"b":4,"c":"y","d":2,"_rescued":"mine"}""");
        await first.FlushAsync();
        await second.FlushAsync();

        var schema = second.Writer.Schemas.Get("t");
        // v1 by the first writer, v2 adds e and _rescued_, v3 adds the _rescued the type conflicts needed.
        Assert.Equal(3, schema.SavedVersion);
        Assert.Equal(Core.Schema.ColumnType.String, schema.Columns.Single(c => c.Name == "a").Type);
        Assert.Equal(Core.Schema.ColumnType.Double, schema.Columns.Single(c => c.Name == "b").Type);
        var rows = second.RowsOf("t");
        Assert.Equal(["7", "8"], rows.Select(r => r["a"]));
        Assert.Equal([3.0, 4.0], rows.Select(r => r["b"]));
        Assert.Equal("new", rows[0]["e"]);
        Assert.Equal("""{"c":"x","d":1}""", rows[0]["_rescued"]);
        Assert.Equal("""{"c":"y","d":2}""", rows[1]["_rescued"]);
        Assert.Equal("mine", rows[1]["_rescued_"]);
        Assert.Equal(4, second.Writer.Stats.RescuedValues);
        var latest = Core.Schema.SchemaDocument.Parse(store.Objects["_schemas/t.json"]);
        Assert.Equal(["_rescued", "_rescued_", "a", "b", "c", "d", "date", "e", "type"], latest.Columns.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1, latest.Columns.Single(c => c.Name == "a").Since);
        Assert.Equal(2, latest.Columns.Single(c => c.Name == "e").Since);
        Assert.Equal(3, latest.Columns.Single(c => c.Name == "_rescued").Since);
    }
}
