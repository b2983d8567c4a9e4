using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Streaming.Aws.Kinesis;

namespace Streaming.Cli.Produce;

/// <summary>
/// Which open shard owns a partition key, the way Kinesis decides it: the MD5 of the key's UTF-8 bytes read as an
/// unsigned 128-bit big-endian number falls into one shard's hash key range. Aggregation groups records by shard
/// with it, as the KPL does, so that an aggregate (put with its first record's hash as explicit hash key) lands
/// where every one of its user records would have landed on its own.
/// </summary>
internal sealed class ShardMap
{
    private readonly List<Shard> _shards;

    public ShardMap(IEnumerable<Shard> shards)
    {
        _shards = [.. shards.Where(s => s.IsOpen).OrderBy(s => s.HashKeyRange.StartingHashKey)];
        if (_shards.Count == 0)
        {
            throw new InvalidOperationException("The stream has no open shard");
        }
    }

    public IReadOnlyList<Shard> Shards => _shards;

    public static async Task<ShardMap> LoadAsync(IKinesisClient client, string streamName, CancellationToken cancellationToken) =>
        new(await client.ListShardsAsync(streamName, ShardFilter.AtLatest, cancellationToken: cancellationToken).ConfigureAwait(false));

#pragma warning disable CA5351 // Kinesis maps keys to shards with MD5; this only reproduces it.
    public static BigInteger HashKey(string partitionKey) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes(partitionKey)), isUnsigned: true, isBigEndian: true);
#pragma warning restore CA5351

    public static string HashKeyText(BigInteger hashKey) => hashKey.ToString(CultureInfo.InvariantCulture);

    /// <summary>The open shard whose range holds <paramref name="hashKey"/>; the last one if the ranges have a gap (they should not).</summary>
    public Shard ShardFor(BigInteger hashKey)
    {
        var low = 0;
        var high = _shards.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (_shards[middle].HashKeyRange.StartingHashKey <= hashKey)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return _shards[low];
    }
}
