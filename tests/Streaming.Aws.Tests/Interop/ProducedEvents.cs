using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Streaming.Aws.Tests.Interop;

/// <summary>
/// NDJSON lines for <c>streaming produce</c> that vary what real input varies (key order, nesting, unicode, number
/// and string ids, lines without ids, lines that are not JSON, a few large events), each with the partition key the
/// produce documentation promises for it, worked out here from how the line was built rather than by parsing it.
/// </summary>
internal static class ProducedEvents
{
    // JSON text of a user_id, and the key it stands for.
    private static readonly (string Json, string Key)[] UserIds =
    [
        ("\"ユーザー-1\"", "ユーザー-1"), ("\"clé\"", "clé"), ("\"😀\"", "😀"), ("\"a \\\"quoted\\\" user\"", "a \"quoted\" user"),
        ("\"caf\\u00e9\"", "café"), ("7", "7"), ("42", "42"), ("-3", "-3"), ("12.5", "12.5"), ("1e3", "1e3"), ("\"user-9\"", "user-9"),
    ];

    public static List<ProducedEvent> Varied(int count, int seed)
    {
        var random = new Random(seed);
        var events = new List<ProducedEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var (userJson, userKey) = UserIds[random.Next(UserIds.Length)];
            var pad = Padding(random, random.Next(20) == 0 ? random.Next(10_000, 30_000) : random.Next(0, 1_200));
            var date = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i * 7).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
            events.Add((i % 9) switch
            {
                0 => new($$$"""{"user_id":{{{userJson}}},"id":"e-{{{i}}}","date":"{{{date}}}","type":"t","params":{"s":"{{{pad}}}"}}""", userKey),
                1 => new($$$"""{"id":"e-{{{i}}}","type":"t","params":{"user_id":"nested-{{{i}}}","s":"{{{pad}}}"}}""", $"e-{i}"),
                2 => new($$$"""{"params":{"n":{{{i}}},"user_id":"nested","s":"{{{pad}}}"},"type":"t","user_id":{{{userJson}}}}""", userKey),
                3 => new($$$"""{"user_id":"","id":"e-{{{i}}}","params":{"s":"{{{pad}}}"}}""", $"e-{i}"),
                4 => Hashed($$$"""{"user_id":null,"type":"t","n":{{{i}}},"params":{"s":"{{{pad}}}"}}"""),
                5 => Hashed($$$"""[1,2,{"user_id":"x"},{{{i}}},"{{{pad}}}"]"""),
                6 => Hashed($"plain text line {i} ☃ {pad} not json"),
                7 => new($$$"""{"user_id":{"nested":1},"id":{{{i}}},"params":{"s":"{{{pad}}}"}}""", i.ToString(CultureInfo.InvariantCulture)),
                _ => new($$$"""{"user_id":"{{{new string('u', 300)}}}","id":"e-{{{i}}}","params":{"s":"{{{pad}}}"}}""", $"e-{i}"),
            });
        }

        return events;
    }

#pragma warning disable CA5351 // The producer's documented fallback key is the MD5 of the line; this only reproduces it.
    private static ProducedEvent Hashed(string line) => new(line, Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(line))));
#pragma warning restore CA5351

    private static string Padding(Random random, int length)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éßж日本語🙂";
        var text = new StringBuilder(length + 2);
        while (text.Length < length)
        {
            var c = Alphabet[random.Next(Alphabet.Length)];
            if (char.IsLowSurrogate(c))
            {
                continue;
            }

            // The emoji is two UTF-16 units; never split it.
            text.Append(c);
            if (char.IsHighSurrogate(c))
            {
                text.Append(Alphabet[Alphabet.IndexOf(c, StringComparison.Ordinal) + 1]);
            }
        }

        return text.ToString();
    }
}
