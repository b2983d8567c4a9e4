using System.Numerics;

namespace Streaming.Aws.Kinesis;

/// <summary>The inclusive range of 128-bit hash keys (MD5 of the partition key) a shard owns.</summary>
public sealed record HashKeyRange(BigInteger StartingHashKey, BigInteger EndingHashKey)
{
    /// <summary>The largest hash key Kinesis uses: 2^128 - 1.</summary>
    public static BigInteger MaxHashKey { get; } = (BigInteger.One << 128) - 1;

    public bool Contains(BigInteger hashKey) => hashKey >= StartingHashKey && hashKey <= EndingHashKey;
}
