namespace Streaming.Benchmarks.Consumer;

/// <summary>How events are packed into Kinesis records.</summary>
internal enum RecordFormat
{
    /// <summary>One event per record, or a few newline-delimited events per record.</summary>
    Plain,

    /// <summary>KPL aggregated records of up to 1 MiB, one open aggregate per shard, as <c>streaming produce --aggregate</c> packs them.</summary>
    Aggregated,
}
