using System.Numerics;
using Streaming.Cli.Query;

namespace Streaming.Lake.Tests.Athena;

/// <summary>How <c>streaming query</c> prints values: the way Athena shows them, CSV that spreadsheets read back.</summary>
public sealed class QueryOutputTests
{
    private static string Print(string format, params object?[][] rows)
    {
        var writer = new StringWriter { NewLine = "\n" };
        QueryOutput.Write(new QueryResult(["a", "b"], rows), format, writer);
        return writer.ToString();
    }

    [Fact]
    public void Csv_quotes_what_needs_quoting_and_prints_null_as_nothing() =>
        Assert.Equal(
            "a,b\r\n\"x, \"\"y\"\"\",\r\n\"two\nlines\",1.5\r\n",
            Print("csv", ["x, \"y\"", null], ["two\nlines", 1.5]));

    [Fact]
    public void Json_keeps_numbers_lists_and_nulls_typed_and_timestamps_as_athena_shows_them() =>
        Assert.Equal(
            "{\"a\":[1,null,\"é\"],\"b\":null}\n{\"a\":\"2021-09-16 05:57:27.123\",\"b\":170141183460469231731687303715884105727}\n{\"a\":\"2021-09-16\",\"b\":0.1}\n",
            Print(
                "json",
                [new List<object?> { 1L, null, "é" }, null],
                [new DateTime(2021, 9, 16, 5, 57, 27, 123, DateTimeKind.Utc), (BigInteger)Int128.MaxValue],
                [new DateOnly(2021, 9, 16), 0.1]));

    [Fact]
    public void A_table_aligns_numbers_right_and_text_left_and_counts_rows() =>
        Assert.Equal(
            "a        b\n----  ----\nJP      12\nUS       3\nNULL  NULL\n(3 rows)\n",
            Print("table", ["JP", 12L], ["US", 3L], [null, null]));

    [Theory]
    [InlineData("SELECT * FROM payment p JOIN \"user_registration\" r ON p.user_id = r.user_id", new[] { "payment", "user_registration" })]
    [InlineData("select count(*) from PAYMENT", new[] { "payment" })]
    [InlineData("SELECT payment_id FROM page_view", new[] { "page_view" })]
    public void A_query_names_the_tables_it_reads(string sql, string[] expected) =>
        Assert.Equal(expected, TableReferences.In(sql, ["page_view", "payment", "user_registration"]));
}
