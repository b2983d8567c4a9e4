using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Streaming.Cli.Query;

/// <summary>
/// Prints a query's result as an aligned text table (for people), CSV (RFC 4180, for spreadsheets) or JSON (one
/// object per row, for programs). Values look the way Athena shows them: timestamps as
/// <c>2021-09-16 05:57:27.000</c> in UTC, lists as JSON arrays.
/// </summary>
internal static class QueryOutput
{
    public static IReadOnlyList<string> Formats { get; } = ["table", "csv", "json"];

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(QueryResult result, string format, TextWriter output)
    {
        switch (format)
        {
            case "csv":
                WriteCsv(result, output);
                break;
            case "json":
                WriteJson(result, output);
                break;
            default:
                WriteTable(result, output);
                break;
        }
    }

    private static void WriteTable(QueryResult result, TextWriter output)
    {
        var cells = result.Rows.Select(row => row.Select(v => v is null ? "NULL" : Text(v)).ToArray()).ToList();
        var widths = result.Columns.Select((c, i) => Math.Max(c.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        var numeric = result.Columns.Select((_, i) => result.Rows.All(r => r[i] is null || IsNumber(r[i]!))).ToArray();
        string Line(IReadOnlyList<string> values) =>
            string.Join("  ", values.Select((v, i) => numeric[i] ? v.PadLeft(widths[i]) : v.PadRight(widths[i]))).TrimEnd();

        output.WriteLine(Line(result.Columns));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            output.WriteLine(Line(row));
        }

        output.WriteLine(result.Rows.Count == 1 ? "(1 row)" : string.Create(CultureInfo.InvariantCulture, $"({result.Rows.Count} rows)"));
    }

    private static void WriteCsv(QueryResult result, TextWriter output)
    {
        static string Field(string value) =>
            value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

        output.Write(string.Join(',', result.Columns.Select(Field)) + "\r\n");
        foreach (var row in result.Rows)
        {
            output.Write(string.Join(',', row.Select(v => v is null ? string.Empty : Field(Text(v)))) + "\r\n");
        }
    }

    private static void WriteJson(QueryResult result, TextWriter output)
    {
        var buffer = new MemoryStream();
        foreach (var row in result.Rows)
        {
            buffer.SetLength(0);
            using (var json = new Utf8JsonWriter(buffer, JsonOptions))
            {
                json.WriteStartObject();
                for (var i = 0; i < row.Length; i++)
                {
                    json.WritePropertyName(result.Columns[i]);
                    WriteValue(json, row[i]);
                }

                json.WriteEndObject();
            }

            output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
    }

    /// <summary>A value as text in a table cell or a CSV field.</summary>
    internal static string Text(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        DateTime or DateTimeOffset or DateOnly or TimeOnly => Temporal(value),
        IFormattable f when IsNumber(value) => f.ToString(value is double or float ? "R" : null, CultureInfo.InvariantCulture),
        IDictionary or IList => Json(value),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Json(object value)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            WriteValue(json, value);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case double d when !double.IsFinite(d):
                json.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                break;
            case float f when !float.IsFinite(f):
                json.WriteStringValue(f.ToString(CultureInfo.InvariantCulture));
                break;
            case IDictionary map:
                json.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    json.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    WriteValue(json, entry.Value);
                }

                json.WriteEndObject();
                break;
            case IList list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(json, item);
                }

                json.WriteEndArray();
                break;
            case var number when IsNumber(number):
                // The invariant text of any integer (HUGEINT included) or decimal is a valid JSON number.
                json.WriteRawValue(Text(number), skipInputValidation: true);
                break;
            default:
                json.WriteStringValue(Text(value));
                break;
        }
    }

    private static string Temporal(object value) => value switch
    {
        DateTime t => (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    private static bool IsNumber(object value) =>
        value is sbyte or byte or short or ushort or int or uint or long or ulong or BigInteger or Int128 or UInt128 or float or double or decimal or Half;
}
