using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streaming.Core.Diagnostics;

/// <summary>
/// JSON written without reflection (source-generated), so that the <c>streaming</c> executable can be compiled
/// ahead of time: a string as a JSON literal, and the flat summaries and markers the product writes.
/// </summary>
public static class JsonText
{
    /// <summary><paramref name="value"/> as a JSON string literal, quotes and escapes included.</summary>
    public static string Quote(string value) => JsonSerializer.Serialize(value, JsonTextContext.Default.String);

    /// <summary>
    /// A flat document whose values are strings, numbers, booleans, lists of strings, arrays of integers or
    /// objects of numbers: what a <c>--json</c> summary holds. A value of any other type is refused at run time
    /// (source generation knows only the types listed on <see cref="JsonTextContext"/>).
    /// </summary>
    public static string Serialize(Dictionary<string, object?> document) => JsonSerializer.Serialize(document, JsonTextContext.Default.DictionaryStringObject);

    /// <inheritdoc cref="Serialize(Dictionary{string, object?})"/>
    public static byte[] SerializeToUtf8Bytes(Dictionary<string, object?> document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, JsonTextContext.Default.DictionaryStringObject);
}

[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class JsonTextContext : JsonSerializerContext;
