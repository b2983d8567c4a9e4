using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// Deals events to shards the way <c>streaming produce</c> and Kinesis do: the partition key is the event's
/// top-level <c>user_id</c> (else its <c>id</c>, else the hex MD5 of the event), and the shard is the one whose hash
/// key range holds the MD5 of the key, read as an unsigned 128-bit big-endian number. The ranges split the key space
/// evenly, as CreateStream does. Mirrors src/Streaming.Cli/Produce/PartitionKeys.cs and ShardMap.cs, which are
/// internal to the CLI.
/// </summary>
internal static class ShardHashing
{
    private static readonly BigInteger KeySpace = BigInteger.One << 128;

    public static string ShardId(int index) => string.Create(CultureInfo.InvariantCulture, $"shardId-{index:D12}");

    public static int ShardOf(string partitionKey, int shards)
    {
#pragma warning disable CA5351 // Kinesis maps keys to shards with MD5; this only reproduces it.
        var hash = new BigInteger(MD5.HashData(Encoding.UTF8.GetBytes(partitionKey)), isUnsigned: true, isBigEndian: true);
#pragma warning restore CA5351
        return (int)(hash * shards / KeySpace);
    }

    public static string PartitionKey(ReadOnlySpan<byte> json)
    {
        string? id = null;
        try
        {
            var reader = new Utf8JsonReader(json);
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
            // Not JSON: the id seen so far, else the hash below, as the producer does.
        }

#pragma warning disable CA5351 // spreads keys, as the producer does; not a security measure
        return id ?? Convert.ToHexStringLower(MD5.HashData(json));
#pragma warning restore CA5351
    }

    private static string? Usable(ref Utf8JsonReader reader)
    {
        var value = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
            _ => null,
        };
        return value is { Length: > 0 and <= 256 } ? value : null;
    }
}
