using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Streaming.Cli.Produce;

/// <summary>
/// The partition key of an event: its top-level <c>user_id</c>, so that one user's events stay on one shard in order
/// (what funnel and retention queries need); else its <c>id</c>, which spreads events evenly; else, for events that
/// have neither or are not JSON objects, the hex MD5 of the event's bytes, which is stable across runs and spreads
/// evenly too. A value counts when it is a string of 1 to 256 characters or a number (its JSON text).
/// </summary>
internal static class PartitionKeys
{
    public static string For(ReadOnlySpan<byte> json)
    {
        string? id = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isUser = reader.ValueTextEquals("user_id"u8);
                    var isId = !isUser && reader.ValueTextEquals("id"u8);
                    reader.Read();
                    if ((isUser || isId) && Usable(ref reader) is { } value)
                    {
                        if (isUser)
                        {
                            return value;
                        }

                        id ??= value;
                    }

                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (or cut short): a top-level id seen before the damage still counts, else the hash below.
        }

        return id ?? Hash(json);
    }

    private static string? Usable(ref Utf8JsonReader reader)
    {
        var value = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
            _ => null,
        };
        return value is { Length: > 0 and <= KinesisLimits.MaxPartitionKeyLength } ? value : null;
    }

#pragma warning disable CA5351 // Spreads keys over shards, as Kinesis itself does with MD5; not a security measure.
    private static string Hash(ReadOnlySpan<byte> json) => Convert.ToHexStringLower(MD5.HashData(json));
#pragma warning restore CA5351
}
