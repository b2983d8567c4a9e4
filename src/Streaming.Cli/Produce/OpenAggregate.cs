using System.Numerics;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Cli.Produce;

/// <summary>The aggregate being filled for one shard, and its first record, which a lone record is sent as.</summary>
internal sealed class OpenAggregate(int maxRecordBytes)
{
    public KplAggregator Aggregator { get; } = new(maxRecordBytes);

    public ReadOnlyMemory<byte> FirstData { get; set; }

    public string FirstPartitionKey { get; set; } = string.Empty;

    /// <summary>The first record's hash key: the aggregate is put with it, so it lands on this shard.</summary>
    public BigInteger FirstHashKey { get; set; }
}
