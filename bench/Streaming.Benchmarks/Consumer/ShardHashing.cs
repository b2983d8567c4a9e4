using System.Globalization;
using System.Numerics;
using Streaming.Cli.Produce;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// Deals events to shards the way <c>streaming produce</c> and Kinesis do: the producer's own partition key
/// (<see cref="PartitionKeys"/>) and its hash key (<see cref="ShardMap.HashKey"/>, the MD5 of the key as an unsigned
/// 128-bit number), over hash key ranges that split the key space evenly, as CreateStream does.
/// </summary>
internal static class ShardHashing
{
    private static readonly BigInteger KeySpace = BigInteger.One << 128;

    public static string ShardId(int index) => string.Create(CultureInfo.InvariantCulture, $"shardId-{index:D12}");

    public static int ShardOf(string partitionKey, int shards) => (int)(ShardMap.HashKey(partitionKey) * shards / KeySpace);

    public static string PartitionKey(ReadOnlySpan<byte> json) => PartitionKeys.For(json);
}
