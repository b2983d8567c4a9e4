using System.Text;
using Streaming.Core.Events;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Events;

public sealed class EventNormalizerTests
{
    private static NormalizedEvent Normalize(string json, out bool ok)
    {
        var normalizer = new EventNormalizer(maxEventBytes: 4096);
        var ev = new NormalizedEvent();
        ok = normalizer.Normalize(Encoding.UTF8.GetBytes(json), 1_000, ev);
        return ev;
    }

    private static RejectReason? RejectionOf(string json) => Normalize(json, out _).Rejection;

    [Fact]
    public async Task Contract_event_becomes_one_row_with_params_flattened()
    {
        var row = await TestLake.SingleRowAsync("""{"id":"a4a3","date":"2021-09-16T05:57:27Z","type":"user_registration","user_id":1,"locale":"ja","country_code":"JP","params":{"provider":"twitter"}}""");
        Assert.Equal("a4a3", row["id"]);
        Assert.Equal(new DateTimeOffset(2021, 9, 16, 5, 57, 27, TimeSpan.Zero), row["date"]);
        Assert.Equal("user_registration", row["type"]);
        Assert.Equal(1L, row["user_id"]);
        Assert.Equal("ja", row["locale"]);
        Assert.Equal("JP", row["country_code"]);
        Assert.Equal("twitter", row["provider"]);
        Assert.False(row.ContainsKey("params"));
    }

    [Fact]
    public async Task Nested_params_objects_are_joined_with_underscores()
    {
        var row = await TestLake.SingleRowAsync("""{"type":"payment","date":"2021-09-16T05:00:00Z","params":{"card":{"brand":"visa","meta":{"Issuer Name":"X"}}}}""");
        Assert.Equal("visa", row["card_brand"]);
        Assert.Equal("X", row["card_meta_issuer_name"]);
    }

    [Fact]
    public async Task Nested_top_level_objects_keep_their_name_as_prefix()
    {
        var row = await TestLake.SingleRowAsync("""{"type":"t","date":"2021-09-16T05:00:00Z","device":{"os":"ios","Model-Name":"x"}}""");
        Assert.Equal("ios", row["device_os"]);
        Assert.Equal("x", row["device_model_name"]);
    }

    [Fact]
    public async Task Param_colliding_with_a_top_level_field_of_the_event_becomes_params_prefixed()
    {
        var row = await TestLake.SingleRowAsync("""{"type":"t","date":"2021-09-16T05:00:00Z","provider":"top","params":{"provider":"inner"}}""");
        Assert.Equal("top", row["provider"]);
        Assert.Equal("inner", row["params_provider"]);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("user_id")]
    [InlineData("type")]
    [InlineData("date")]
    [InlineData("locale")]
    [InlineData("country_code")]
    public async Task Param_named_like_a_contract_field_is_always_params_prefixed(string name)
    {
        var row = await TestLake.SingleRowAsync($$$"""{"type":"t","date":"2021-09-16T05:00:00Z","params":{"{{{name}}}":"p"}}""");
        Assert.Equal("p", row["params_" + name]);
    }

    [Theory]
    [InlineData("year")]
    [InlineData("month")]
    [InlineData("day")]
    [InlineData("hour")]
    [InlineData("_rescued")]
    [InlineData("_date_raw")]
    public async Task Partition_and_system_column_names_are_never_taken_by_data(string name)
    {
        var row = await TestLake.SingleRowAsync($$$"""{"type":"t","date":"2021-09-16T05:00:00Z","{{{name}}}":1,"params":{"{{{name}}}":2}}""");
        Assert.Equal(1L, row[name + "_"]);
        Assert.Equal(2L, row["params_" + name]);
    }

    [Fact]
    public async Task Json_types_map_to_column_types()
    {
        var row = await TestLake.SingleRowAsync("""{"type":"t","date":"2021-09-16T05:00:00Z","s":"x","i":-42,"d":1.5,"e":1e3,"b":true,"f":false,"n":null,"a":[1,"two",{"three":3}]}""");
        Assert.Equal("x", row["s"]);
        Assert.Equal(-42L, row["i"]);
        Assert.Equal(1.5, row["d"]);
        Assert.Equal(1000.0, row["e"]);
        Assert.Equal(true, row["b"]);
        Assert.Equal(false, row["f"]);
        Assert.False(row.ContainsKey("n"));
        Assert.Equal("""[1,"two",{"three":3}]""", row["a"]);
    }

    [Fact]
    public async Task Integers_beyond_int64_are_rescued_exactly_not_rounded()
    {
        var row = await TestLake.SingleRowAsync("""{"type":"t","date":"2021-09-16T05:00:00Z","big":123456789012345678901234567890,"huge":1e999}""");
        Assert.False(row.ContainsKey("big"));
        Assert.Equal("""{"big":123456789012345678901234567890,"huge":1e999}""", row["_rescued"]);
    }

    [Fact]
    public async Task Column_names_are_lower_case_ascii_letters_digits_and_underscores()
    {
        var row = await TestLake.SingleRowAsync("""{"type":"t","date":"2021-09-16T05:00:00Z","UserName":"a","first name":"b","a.b-c":"c","caf\u00e9":"d","\u65e5\u672c":"e"}""");
        Assert.Equal("a", row["username"]);
        Assert.Equal("b", row["first_name"]);
        Assert.Equal("c", row["a_b_c"]);
        Assert.Equal("d", row["caf_"]);
        Assert.Equal("e", row["__"]);
    }

    [Fact]
    public async Task Keys_that_normalise_to_the_same_column_keep_the_first_and_rescue_the_rest_by_original_key()
    {
        var row = await TestLake.SingleRowAsync("""{"type":"t","date":"2021-09-16T05:00:00Z","a-b":1,"a_b":2,"A.B":3}""");
        Assert.Equal(1L, row["a_b"]);
        Assert.Equal("""{"a_b":2,"A.B":3}""", row["_rescued"]);
    }

    [Fact]
    public async Task Empty_and_overlong_keys_are_rescued()
    {
        var longKey = new string('k', 300);
        var row = await TestLake.SingleRowAsync($$"""{"type":"t","date":"2021-09-16T05:00:00Z","":1,"{{longKey}}":2}""");
        Assert.Equal($$"""{"":1,"{{longKey}}":2}""", row["_rescued"]);
    }

    [Theory]
    [InlineData("2021-09-16T05:57:27Z", "2021-09-16T05:57:27.000Z")]
    [InlineData("2021-09-16T14:57:27+09:00", "2021-09-16T05:57:27.000Z")]
    [InlineData("2021-09-16T00:57:27.123456-05:00", "2021-09-16T05:57:27.123Z")]
    [InlineData("2021-09-16 05:57:27.5", "2021-09-16T05:57:27.500Z")]
    public async Task Date_is_converted_to_utc_milliseconds(string date, string expected)
    {
        var row = await TestLake.SingleRowAsync($$"""{"type":"t","date":"{{date}}"}""");
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), row["date"]);
        Assert.False(row.ContainsKey("_date_raw"));
    }

    [Theory]
    [InlineData("\"yesterday\"", "yesterday")]
    [InlineData("1631771847", "1631771847")]
    [InlineData("{\"at\":1}", "{\"at\":1}")]
    [InlineData("\"1969-12-31T23:59:59Z\"", "1969-12-31T23:59:59Z")]
    public async Task Unusable_date_falls_back_to_arrival_time_and_keeps_the_original(string date, string raw)
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync($$"""{"type":"t","date":{{date}},"x":1}""");
        await lake.FlushAsync();
        var row = Assert.Single(lake.Files.AllRows);
        Assert.Equal(TestLake.Now.ToUnixTimeMilliseconds(), ((DateTimeOffset)row["date"]!).ToUnixTimeMilliseconds());
        Assert.Equal(raw, row["_date_raw"]);
        Assert.Equal(1, lake.Writer.Stats.UsedArrivalTime);
        Assert.Equal(TestLake.Now.UtcDateTime.Hour, lake.Files.Files[0].Key.HourStartUtc.Hour);
    }

    [Fact]
    public async Task Missing_date_uses_arrival_time_without_a_raw_value()
    {
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync("""{"type":"t"}""");
        await lake.FlushAsync();
        var row = Assert.Single(lake.Files.AllRows);
        Assert.Equal(TestLake.Now.ToUnixTimeMilliseconds(), ((DateTimeOffset)row["date"]!).ToUnixTimeMilliseconds());
        Assert.False(row.ContainsKey("_date_raw"));
        Assert.Equal(1, lake.Writer.Stats.UsedArrivalTime);
    }

    [Fact]
    public void Date_column_keeps_the_position_the_producer_gave_it()
    {
        var ev = Normalize("""{"id":"x","date":"2021-09-16T05:00:00Z","type":"t"}""", out var ok);
        Assert.True(ok);
        Assert.Equal(["id", "date", "type"], ev.Fields.ToArray().Select(f => f.Column));
    }

    [Theory]
    [InlineData("not json", RejectReason.InvalidJson)]
    [InlineData("{\"type\":\"t\"", RejectReason.InvalidJson)]
    [InlineData("{\"type\":\"t\"} trailing", RejectReason.InvalidJson)]
    [InlineData("{\"type\":\"t\"}{\"type\":\"t\"}", RejectReason.InvalidJson)]
    [InlineData("{'type':'t'}", RejectReason.InvalidJson)]
    [InlineData("{\"type\":\"t\",}", RejectReason.InvalidJson)]
    [InlineData("[1,2]", RejectReason.NotAnObject)]
    [InlineData("\"a string\"", RejectReason.NotAnObject)]
    [InlineData("42", RejectReason.NotAnObject)]
    [InlineData("null", RejectReason.NotAnObject)]
    [InlineData("{}", RejectReason.MissingType)]
    [InlineData("{\"Type\":\"t\"}", RejectReason.MissingType)]
    [InlineData("{\"type\":null}", RejectReason.InvalidType)]
    [InlineData("{\"type\":42}", RejectReason.InvalidType)]
    [InlineData("{\"type\":{\"a\":1}}", RejectReason.InvalidType)]
    [InlineData("{\"type\":\"\"}", RejectReason.InvalidType)]
    [InlineData("{\"type\":\"../etc\"}", RejectReason.InvalidType)]
    [InlineData("{\"type\":\"a/b\"}", RejectReason.InvalidType)]
    [InlineData("{\"type\":\"a\\\\b\"}", RejectReason.InvalidType)]
    [InlineData("{\"type\":\"_errors\"}", RejectReason.InvalidType)]
    [InlineData("{\"type\":\".hidden\"}", RejectReason.InvalidType)]
    [InlineData("{\"type\":\"1abc\"}", RejectReason.InvalidType)]
    [InlineData("{\"type\":\"caf\u00e9\"}", RejectReason.InvalidType)]
    [InlineData("{\"type\":\"a b\"}", RejectReason.InvalidType)]
    [InlineData("{\"type\":\"a\\u0000b\"}", RejectReason.InvalidType)]
    [InlineData("{\"type\":\"t\",\"s\":\"\\ud83d\"}", RejectReason.InvalidJson)]
    [InlineData("{\"type\":\"t\",\"s\":\"x\\udc00y\"}", RejectReason.InvalidJson)]
    [InlineData("{\"type\":\"\\ud83d\"}", RejectReason.InvalidJson)]
    [InlineData("{\"\\ud83d\":1,\"type\":\"t\"}", RejectReason.InvalidJson)]
    public void Bad_events_are_rejected_with_a_reason(string json, RejectReason expected)
    {
        Assert.Equal(expected, RejectionOf(json));
    }

    [Fact]
    public void Type_longer_than_64_characters_is_rejected()
    {
        Assert.Null(RejectionOf($$"""{"type":"{{new string('a', 64)}}"}"""));
        Assert.Equal(RejectReason.InvalidType, RejectionOf($$"""{"type":"{{new string('a', 65)}}"}"""));
    }

    [Theory]
    [InlineData("User-Registration", "user_registration")]
    [InlineData("exercise.cleared", "exercise_cleared")]
    [InlineData("PAGE_VIEW", "page_view")]
    [InlineData("a1", "a1")]
    public void Type_is_normalised_into_the_table_name(string type, string table)
    {
        var ev = Normalize($$"""{"type":"{{type}}"}""", out var ok);
        Assert.True(ok);
        Assert.Equal(table, ev.Table);
    }

    [Fact]
    public void Escaped_type_is_unescaped_before_normalising()
    {
        var ev = Normalize("""{"type":"page\u005fview"}""", out var ok);
        Assert.True(ok);
        Assert.Equal("page_view", ev.Table);
    }

    [Fact]
    public void Invalid_utf8_is_rejected()
    {
        var normalizer = new EventNormalizer();
        var ev = new NormalizedEvent();
        byte[] bytes = [.. "{\"type\":\"t\",\"x\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.False(normalizer.Normalize(bytes, 0, ev));
        Assert.Equal(RejectReason.InvalidUtf8, ev.Rejection);
    }

    [Fact]
    public void Events_over_the_size_limit_are_rejected_as_too_large()
    {
        var json = $$"""{"type":"t","x":"{{new string('x', 5000)}}"}""";
        Assert.Equal(RejectReason.TooLarge, RejectionOf(json));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected_not_a_crash()
    {
        var deep = "{\"type\":\"t\",\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 101);
        Assert.Equal(RejectReason.InvalidJson, RejectionOf(deep));
        var veryDeep = string.Concat(Enumerable.Repeat("[", 100_000));
        var normalizer = new EventNormalizer(maxEventBytes: 1 << 20);
        var ev = new NormalizedEvent();
        Assert.False(normalizer.Normalize(Encoding.UTF8.GetBytes(veryDeep), 0, ev));
        Assert.Equal(RejectReason.InvalidJson, ev.Rejection);
    }

    [Fact]
    public async Task Deep_nesting_within_the_limit_is_flattened()
    {
        var json = "{\"type\":\"t\",\"date\":\"2021-09-16T05:00:00Z\",\"params\":" + string.Concat(Enumerable.Repeat("{\"a\":", 30)) + "1" + new string('}', 31);
        var row = await TestLake.SingleRowAsync(json);
        Assert.Equal(1L, row[string.Join('_', Enumerable.Repeat("a", 30))]);
    }

    [Fact]
    public async Task Unicode_and_escapes_in_values_are_kept_exactly()
    {
        var row = await TestLake.SingleRowAsync("""{"type":"t","date":"2021-09-16T05:00:00Z","s":"日本語 \"quoted\" \n tab\t emoji 😀 \u00e9"}""");
        Assert.Equal("日本語 \"quoted\" \n tab\t emoji 😀 é", row["s"]);
    }

    [Fact]
    public async Task Huge_strings_are_kept_whole()
    {
        var big = new string('z', 3_000_000);
        var lake = await TestLake.CreateAsync();
        await lake.AppendAsync($$"""{"type":"t","date":"2021-09-16T05:00:00Z","s":"{{big}}","after":"x"}""");
        await lake.FlushAsync();
        var row = Assert.Single(lake.Files.AllRows);
        Assert.Equal(big, row["s"]);
        Assert.Equal("x", row["after"]);
    }

    [Fact]
    public async Task Duplicate_type_or_date_keys_keep_the_first_and_rescue_the_second()
    {
        var row = await TestLake.SingleRowAsync("""{"type":"a","date":"2021-09-16T05:00:00Z","type":"b","date":"2022-01-01T00:00:00Z"}""");
        Assert.Equal("a", row["type"]);
        Assert.Equal(new DateTimeOffset(2021, 9, 16, 5, 0, 0, TimeSpan.Zero), row["date"]);
        Assert.Equal("""{"type":"b","date":"2022-01-01T00:00:00Z"}""", row["_rescued"]);
    }
}
