using System.Globalization;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// Seeded NDJSON events that vary what real producers vary: eight types with their own <c>params</c>, nested objects
/// in and outside <c>params</c>, arrays, keys in a different order in every event, missing fields and explicit
/// nulls, CJK, emoji and escaped non-ASCII, quotes, backslashes and control characters, big and negative integers,
/// doubles with exponents, and event times with <c>Z</c> or an offset over six hours of 2021-09-16.
/// </summary>
/// <remarks>
/// Within <see cref="Events"/> every (table, column) holds one JSON type only: which type a column gets is decided
/// by whichever value is saved first, and with several shards that order is not the file's order. Values of another
/// type come from <see cref="Conflicts"/>, which a test puts only after the first events are in the lake.
/// Every event has a usable <c>date</c>; an event without one would take its arrival time, which differs between
/// <c>convert</c> and <c>run</c>.
/// </remarks>
internal static class Corpus
{
    public static readonly DateTimeOffset FirstHour = new(2021, 9, 16, 0, 0, 0, TimeSpan.Zero);

    public const int Hours = 6;

    public static readonly IReadOnlyList<string> Tables =
    [
        "payment", "exercise_started", "exercise_cleared", "user_registration",
        "page_view", "chat_message", "subscription_changed", "error_reported",
    ];

    private static readonly string[] Fragments =
    [
        "hello", "日本語のレッスン", "学習を始めましょう", "한국어 수업", "Ünïcödé façade", "café", "naïve résumé",
        "🎉", "👍🏽", "👨‍👩‍👧", "𝄞 clef", "emoji 😀 inside", "quote \" inside", "back\\slash", "C:\\temp\\new",
        "line1\nline2", "tab\there", "</script>", "null", string.Empty, "  padded  ", "ctrl\u0001char", "Ωmega",
        "مرحبا", "שלום", "a/b/c", "{\"json\":\"in a string\"}", "e\u0301 combining", "zero\u200bwidth",
        "\ufeffbom inside", "line\u2028separator", "CR\r\nLF",
    ];

    /// <summary>(path, value) pairs whose JSON type differs from the one <see cref="Events"/> gives that column.</summary>
    private static readonly Dictionary<string, (string Path, string Json)[]> ConflictingValues = new(StringComparer.Ordinal)
    {
        ["payment"] = [("params.amount", "\"n/a\""), ("params.amount", "12"), ("params.refunded", "\"no\"")],
        ["exercise_started"] = [("params.exercise_id", "3.5"), ("params.exercise_id", "\"12\""), ("params.exercise_id", "true"), ("params.exercise_id", "1e3")],
        ["exercise_cleared"] = [("params.perfect", "1"), ("params.score", "-0.25")],
        ["user_registration"] = [("params.consent.marketing", "\"yes\"")],
        ["page_view"] = [("params.duration_ms", "\"slow\""), ("params.path", "404"), ("params.scroll", "true")],
        ["chat_message"] = [("params.text", "[\"an\", \"array\"]"), ("params.edited", "\"no\""), ("params.text", "12.50")],
        ["subscription_changed"] = [("params.price", "\"free\""), ("params.trial", "0")],
        ["error_reported"] = [("params.code", "1.5"), ("params.code", "99999999999999999999")],
    };

    /// <summary><paramref name="count"/> events with ids <c>&lt;batch&gt;-NNNNN</c>.</summary>
    public static IReadOnlyList<string> Events(string batch, int count, int seed)
    {
        var random = new Random(seed);
        var lines = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var table = Tables[random.Next(Tables.Count)];
            lines.Add(Event(random, $"{batch}-{i:D5}", table, conflict: false).Render(random));
        }

        return lines;
    }

    /// <summary>
    /// Events each carrying one value of another JSON type than <see cref="Events"/> gives its column ("n/a" in a
    /// double, 3.5 in a bigint, an array in a string...), plus a column that is new. Once the first types are
    /// saved these land the same way whatever the order: in <c>_rescued</c>, or as the column's type.
    /// </summary>
    public static IReadOnlyList<string> Conflicts(string batch, int count, int seed)
    {
        var random = new Random(seed);
        var lines = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var table = Tables[i % Tables.Count];
            var e = Event(random, $"{batch}-{i:D5}", table, conflict: true);
            var choices = ConflictingValues[table];
            var (path, json) = choices[(i / Tables.Count) % choices.Length];
            e.Replace(path, json);
            lines.Add(e.Render(random));
        }

        return lines;
    }

    private static ShuffledObject Event(Random r, string id, string table, bool conflict)
    {
        // A quarter of the strings escape their non-ASCII characters, as some producers' serializers do.
        string S(string value) => JsonText.String(value, escapeNonAscii: r.Next(4) == 0);

        var e = new ShuffledObject()
            .Add("id", S(id))
            .Add("date", JsonText.String(Date(r), escapeNonAscii: false))
            .Add("type", S(Spelling(r, table)))
            .Add("user_id", r.Next(12) == 0 ? null : JsonText.Integer(r.Next(1, 400)))
            .Add("locale", r.Next(10) switch { 0 => "null", 1 => null, _ => S(Pick(r, "ja", "en-US", "ko", "pt-BR")) })
            .Add("country_code", r.Next(10) == 0 ? null : S(Pick(r, "JP", "US", "KR", "BR", "FR")))
            .Add("app_version", r.Next(2) == 0 ? S($"3.{r.Next(20)}.{r.Next(10)}") : null)
            .Add("device", r.Next(5) < 3
                ? new ShuffledObject()
                    .Add("os", S(Pick(r, "ios", "android", "web")))
                    .Add("os_version", S($"{r.Next(10, 18)}.{r.Next(5)}"))
                    .Add("model", r.Next(3) == 0 ? null : S(Pick(r, "iPhone13,2", "Pixel 6", "SM-G991B")))
                : null)
            .Add("session", r.Next(10) < 3
                ? new ShuffledObject().Add("id", S($"{r.NextInt64():x16}")).Add("depth", JsonText.Integer(r.Next(1, 50)))
                : null);
        if (table == "chat_message" && r.Next(10) < 3)
        {
            // A top-level field named like a partition column: it becomes hour_.
            e.Add("hour", JsonText.Integer(r.Next(24)));
        }

        var empty = conflict ? 99 : r.Next(50);
        return empty switch
        {
            0 => e.Add("params", "null"),
            1 => e.Add("params", "{}"),
            _ => e.Add("params", Params(r, table, S, conflict)),
        };
    }

    private static ShuffledObject Params(Random r, string table, Func<string, string> s, bool conflict) => table switch
    {
        "payment" => new ShuffledObject()
            .Add("amount", Fraction(r, 0.5, 900))
            .Add("currency", s(Pick(r, "JPY", "USD", "EUR", "KRW")))
            .Add("card", new ShuffledObject()
                .Add("brand", s(Pick(r, "visa", "mastercard", "jcb", "amex")))
                .Add("last4", s($"{r.Next(10000):D4}"))
                .Add("exp", new ShuffledObject().Add("month", JsonText.Integer(r.Next(1, 13))).Add("year", JsonText.Integer(r.Next(2022, 2031))))
                .Add("holder", r.Next(2) == 0 ? s(Text(r)) : null))
            .Add("coupon", r.Next(5) switch { 0 or 1 => s($"SAVE{r.Next(50)}"), 2 => "null", _ => null })
            .Add("items", JsonArray(r, r.Next(4), _ => new ShuffledObject()
                .Add("sku", s($"sku-{r.Next(100)}"))
                .Add("qty", JsonText.Integer(r.Next(1, 5)))
                .Add("price", Fraction(r, 0.1, 99))
                .Render(r)))
            .Add("installments", r.Next(3) == 0 ? null : JsonText.Integer(r.Next(1, 25)))
            .Add("refunded", JsonText.Boolean(r.Next(2) == 0))
            .Add("refund", conflict && r.Next(2) == 0 ? new ShuffledObject().Add("reason", s(Text(r))) : null),
        "exercise_started" => new ShuffledObject()
            .Add("exercise_id", JsonText.Integer(r.Next(1, 5000)))
            .Add("lesson", new ShuffledObject()
                .Add("id", JsonText.Integer(r.Next(1, 300)))
                .Add("title", s(Text(r)))
                .Add("unit", new ShuffledObject().Add("number", JsonText.Integer(r.Next(1, 20)))))
            .Add("difficulty", Fraction(r, 0, 1))
            .Add("hints", JsonArray(r, r.Next(4), _ => JsonText.Integer(r.Next(-5, 100))))
            .Add("mode", s(Pick(r, "listening", "speaking", "reading", "writing"))),
        "exercise_cleared" => new ShuffledObject()
            .Add("exercise_id", JsonText.Integer(r.Next(1, 5000)))
            .Add("score", JsonText.Integer(r.Next(-50, 101)))
            .Add("elapsed_ns", JsonText.Integer(r.Next(10) == 0 ? long.MaxValue : r.NextInt64(1_000_000_000L, long.MaxValue)))
            .Add("perfect", JsonText.Boolean(r.Next(3) == 0))
            .Add("answers", JsonArray(r, r.Next(1, 4), _ => s(Text(r))))
            .Add("accuracy", Fraction(r, 0, 1)),
        "user_registration" => Registration(r, s),
        "page_view" => new ShuffledObject()
            .Add("path", s($"/lessons/{Pick(r, "日本語", "basics", "a b", "q?x=\"1\"", "😀")}/{r.Next(100)}"))
            .Add("duration_ms", JsonText.Integer(r.Next(0, 600_000)))
            .Add("scroll", Fraction(r, 0, 1))
            .Add("Screen Name", s(Pick(r, "Home", "Lesson List", "設定")))
            .Add("referrerURL", r.Next(2) == 0 ? s($"https://example.com/r?src={r.Next(9)}&q=%20") : null)
            .Add("tags", JsonArray(r, r.Next(3), _ => s(Pick(r, "new", "ab-test", "タグ"))))
            .Add("hour", r.Next(10) < 3 ? JsonText.Integer(r.Next(24)) : null)
            .Add("id", r.Next(10) < 2 ? s($"pv-{r.Next(1000)}") : null),
        "chat_message" => new ShuffledObject()
            .Add("text", s(Text(r)))
            .Add("lang", s(Pick(r, "ja", "en", "ko", "ar")))
            .Add("mentions", JsonArray(r, r.Next(3), _ => JsonText.Integer(r.Next(1, 400))))
            .Add("edited", JsonText.Boolean(r.Next(4) == 0))
            .Add("reactions", new ShuffledObject()
                .Add("like", JsonText.Integer(r.Next(0, 30)))
                .Add("🎉", r.Next(2) == 0 ? JsonText.Integer(r.Next(0, 30)) : null)),
        "subscription_changed" => new ShuffledObject()
            .Add("plan", s(Pick(r, "free", "basic", "premium", "family")))
            .Add("previous_plan", r.Next(7) switch { 0 => "null", 1 => null, _ => s(Pick(r, "free", "basic", "premium")) })
            .Add("price", JsonText.Double(Math.Round(r.NextDouble() * 5000, 2), 1 + r.Next(2)))
            .Add("trial", JsonText.Boolean(r.Next(2) == 0))
            .Add("period_days", JsonText.Integer(Pick(r, 7, 30, 365))),
        "error_reported" => new ShuffledObject()
            .Add("code", JsonText.Integer(r.Next(-1000, 1000)))
            .Add("message", s(Text(r)))
            .Add("stack", JsonArray(r, r.Next(1, 4), k => s($"at Lesson.Step{k}() in C:\\src\\Lesson.cs:line {r.Next(900)}")))
            .Add("context", new ShuffledObject().Add("a", new ShuffledObject().Add("b", new ShuffledObject().Add("c", new ShuffledObject().Add("d", JsonText.Integer(r.Next(100)))))))
            .Add("trace_num", r.Next(2) == 0 ? $"1{r.NextInt64(1_000_000_000_000L, 9_999_999_999_999L)}{r.NextInt64(1_000_000_000_000L, 9_999_999_999_999L)}" : null)
            .Add("ratio", r.Next(7) == 0 ? "1e999" : null)
            .Add("naïve", r.Next(5) == 0 ? s(Text(r)) : null)
            .Add("extra", r.Next(5) == 0 ? "{}" : null)
            .Add("bound", r.Next(3) == 0 ? JsonText.Integer(r.Next(2) == 0 ? long.MaxValue : long.MinValue) : null),
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "not a corpus table"),
    };

    private static ShuffledObject Registration(Random r, Func<string, string> s)
    {
        var registration = new ShuffledObject()
            .Add("provider", s(Pick(r, "twitter", "google", "apple", "email", "line")))
            .Add("consent", new ShuffledObject()
                .Add("marketing", JsonText.Boolean(r.Next(2) == 0))
                .Add("terms_version", JsonText.Integer(r.Next(1, 6))))
            .Add("display_name", s(Text(r)))
            .Add("referrer", r.Next(2) == 0 ? s($"https://example.com/invite/{r.Next(1000)}") : null)
            .Add("age", r.Next(10) switch { 0 => "null", < 5 => JsonText.Integer(r.Next(13, 90)), _ => null });

        // Two keys that make the same column: whichever comes first in the event wins, the other is rescued.
        return r.Next(4) == 0 ? registration.Add("display-name", s(Text(r))) : registration;
    }

    private static string Date(Random r)
    {
        var instant = FirstHour.AddSeconds(r.Next(Hours * 3600)).AddMilliseconds(r.Next(3) == 0 ? r.Next(1000) : 0);
        var c = CultureInfo.InvariantCulture;
        return r.Next(9) switch
        {
            0 => instant.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", c),
            1 => instant.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", c),
            2 => instant.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", c),
            3 => instant.ToOffset(new TimeSpan(5, 30, 0)).ToString("yyyy-MM-dd'T'HH:mm:ss", c) + "+0530",
            4 => instant.ToString("yyyy-MM-dd HH:mm:ss'Z'", c),
            5 => instant.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", c) + $"{r.Next(1000):D3}Z",
            6 => instant.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:ss", c) + "+09",
            _ => instant.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", c),
        };
    }

    /// <summary>The type as written: mostly the table name, sometimes a spelling that normalises to it.</summary>
    private static string Spelling(Random r, string table) => r.Next(12) switch
    {
        0 => table.ToUpperInvariant(),
        1 => table.Replace('_', '-'),
        2 => table.Replace('_', '.'),
        _ => table,
    };

    private static string Text(Random r) =>
        string.Join(" ", Enumerable.Range(0, r.Next(1, 4)).Select(_ => Fragments[r.Next(Fragments.Length)]));

    private static string Fraction(Random r, double min, double max) =>
        JsonText.Double(Math.Round(min + (r.NextDouble() * (max - min)), 4), r.Next(4));

    private static string JsonArray(Random r, int count, Func<int, string> element)
    {
        var separator = r.Next(3) == 0 ? ", " : ",";
        return "[" + string.Join(separator, Enumerable.Range(0, count).Select(element)) + "]";
    }

    private static T Pick<T>(Random r, params T[] choices) => choices[r.Next(choices.Length)];
}
