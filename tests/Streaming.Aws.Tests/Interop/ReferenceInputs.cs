using System.Globalization;
using System.Numerics;
using System.Text;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Aws.Tests.Interop;

/// <summary>
/// User records for the reference aggregator: what real producers vary (keys, hash keys, payload kinds and sizes), but
/// only keys it encodes correctly.
/// </summary>
/// <remarks>
/// aws-kinesis-agg 4.2.8 writes its key tables as <c>Object.keys(table)</c>, and JavaScript lists integer-like keys
/// ("0", "42", up to 2^32 - 2) first, in numeric order, whatever order they were added in, while the records keep the
/// indexes of the order of addition. An aggregate mixing such keys with others comes back with keys swapped between
/// records. Every explicit hash key is a decimal number, so small ones are hit as well. The inputs therefore avoid
/// integer-like partition keys and use hash keys above 2^64; <c>KplReferenceCodecTests</c> shows the swap.
/// </remarks>
internal static class ReferenceInputs
{
    private static readonly string[] Keys =
    [
        "user-1", "ユーザー", "clé", "😀", "ключ", "a \"quoted\" \\ key", "007", "-1", "1.5", new string('k', 256),
    ];

    /// <summary>450 records, about 5 MB: several full 1 MiB aggregates and a partial last one.</summary>
    public static List<UserRecordInput> Varied(int seed)
    {
        var random = new Random(seed);
        var records = new List<UserRecordInput>();
        for (var i = 0; i < 450; i++)
        {
            var key = random.Next(3) == 0 ? $"key-{random.Next(40)}" : Keys[random.Next(Keys.Length)];
            var hashKey = random.Next(5) == 0 ? LargeHashKey(random) : null;
            records.Add(new UserRecordInput(key, hashKey, Payload(random, i)));
        }

        return records;
    }

    /// <summary>A decimal hash key of at least 2^64, never an integer-like JavaScript property name.</summary>
    public static string LargeHashKey(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[0] |= 0x01;
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>True for the keys JavaScript enumerates first: canonical decimal integers below 2^32 - 1.</summary>
    public static bool IsIntegerLike(string key) =>
        key.Length > 0 && (key == "0" || key[0] != '0') && key.All(char.IsAsciiDigit)
        && ulong.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value < uint.MaxValue;

    private static byte[] Payload(Random random, int index)
    {
        switch (index % 10)
        {
            case 0:
                return [];
            case 1:
                return [(byte)random.Next(256)];
            case 2:
                // An event in NDJSON, as the consumer expects it.
                return Encoding.UTF8.GetBytes(
                    $$$"""{"id":"e-{{{index}}}","type":"exercise_started","user_id":{{{index}}},"locale":"ja","params":{"name":"朝のストレッチ 🧘","n":{{{random.Next()}}}}}""");
            case 3:
                // Several events in one user record, with a trailing newline.
                return Encoding.UTF8.GetBytes($"{{\"id\":\"a{index}\",\"type\":\"t\"}}\n{{\"id\":\"b{index}\",\"type\":\"t\"}}\n");
            case 4:
                // A payload that itself looks like an aggregate: a reader must not unpack it a second time.
                var inner = new KplAggregator();
                inner.TryAdd(Encoding.UTF8.GetBytes($"inner-{index}"), "inner");
                inner.TryAdd(Encoding.UTF8.GetBytes($"inner-{index}-2"), "inner-2");
                return inner.Flush()!.Data.ToArray();
            case 5 or 6 when index / 10 % 2 == 0:
                // About 100 KB, binary or text: the records that fill aggregates and land on their boundaries.
                var large = new byte[100_000 + random.Next(-2_000, 2_000)];
                if (index % 10 == 5)
                {
                    random.NextBytes(large);
                }
                else
                {
                    large.AsSpan().Fill((byte)'x');
                    Encoding.UTF8.GetBytes($"{{\"id\":\"big-{index}\",\"params\":{{\"text\":\"").CopyTo(large, 0);
                    "\"}}"u8.CopyTo(large.AsSpan(large.Length - 3));
                }

                return large;
            default:
                var bytes = new byte[random.Next(2, 5_000)];
                random.NextBytes(bytes);
                return bytes;
        }
    }
}
