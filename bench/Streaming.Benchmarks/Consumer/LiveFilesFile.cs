using Streaming.Core.Lake;

namespace Streaming.Benchmarks.Consumer;

/// <summary>One data file the simulated consumer wrote.</summary>
internal sealed record LiveFilesFile(string Key, string Shard, string Table, DateTimeOffset Hour, long Rows, long Bytes, DateTimeOffset WrittenAt)
{
    /// <summary>Why the file was cut (from the publisher's log line); null if the line was not seen.</summary>
    public FlushReason? Reason { get; set; }
}
