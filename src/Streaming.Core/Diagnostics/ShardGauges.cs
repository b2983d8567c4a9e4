namespace Streaming.Core.Diagnostics;

/// <summary>What a shard processor reports for the gauges; written by the processor, read by scrapes.</summary>
public sealed class ShardGauges(string shardId)
{
    public string ShardId { get; } = shardId;

    public double MillisBehindLatest { get; set; }

    public long LastCheckpoint { get; set; }

    public int OpenBuffers { get; set; }

    public long BufferedBytes { get; set; }
}
