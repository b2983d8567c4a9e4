using System.Text;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// Lines that must be rejected into <c>_errors</c>, one of each reason a line can have: not JSON, cut short,
/// trailing content, a lone surrogate, nesting too deep, not an object, no <c>type</c>, a type that would
/// escape the lake or name one of its own folders, and bytes that are not UTF-8.
/// </summary>
internal static class HostileLines
{
    /// <summary>The lines, each naming <paramref name="batch"/> so that batches stay apart.</summary>
    public static IReadOnlyList<byte[]> Create(string batch, bool utf8Only = false)
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70);
        var lines = new List<byte[]>
        {
            Utf8($"this is not json ({batch})"),
            Utf8($"[\"{batch}\", 1, 2]"),
            Utf8($"\"{batch}: a string is not an event\""),
            Utf8($"{{\"id\":\"{batch}-no-type\",\"date\":\"2021-09-16T01:00:00Z\",\"params\":{{}}}}"),
            Utf8($"{{\"Type\":\"payment\",\"id\":\"{batch}-capital-type\"}}"),
            Utf8($"{{\"type\":\"../escape\",\"id\":\"{batch}-escape\",\"date\":\"2021-09-16T01:00:00Z\"}}"),
            Utf8($"{{\"type\":\"_hidden\",\"id\":\"{batch}-hidden\"}}"),
            Utf8($"{{\"type\":\"_schemas\",\"id\":\"{batch}-schemas\"}}"),
            Utf8($"{{\"type\":\"a/b\",\"id\":\"{batch}-slash\"}}"),
            Utf8($"{{\"type\":\"café\",\"id\":\"{batch}-accent\"}}"),
            Utf8($"{{\"type\":\"9lives\",\"id\":\"{batch}-digit\"}}"),
            Utf8($"{{\"type\":42,\"id\":\"{batch}-number-type\"}}"),
            Utf8($"{{\"type\":\"\",\"id\":\"{batch}-empty-type\"}}"),
            Utf8($"{{\"id\":\"{batch}-cut\",\"type\":\"payment\",\"date\":\"2021-09-16T02:00:00Z\",\"params\":{{\"amount\":1"),
            Utf8($"{{\"type\":\"payment\",\"id\":\"{batch}-trailing\"}} {{\"x\":1}}"),
            Utf8($"{{\"type\":\"chat_message\",\"id\":\"{batch}-lone\",\"params\":{{\"text\":\"\\ud83d\"}}}}"),
            Utf8($"{{\"type\":\"deep\",\"id\":\"{batch}-deep\",\"params\":{deep}}}"),
        };
        if (!utf8Only)
        {
            lines.Add([.. Utf8($"{{\"type\":\"payment\",\"id\":\"{batch}-bytes\",\"params\":{{\"note\":\""), 0xff, 0xfe, 0xc3, .. "\"}}"u8]);
        }

        return lines;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
