using Streaming.Aws.Kinesis;

namespace Streaming.Cli.Produce;

/// <summary>A record waiting for PutRecords: what to send, how many events it carries, what it weighs.</summary>
internal sealed record PendingRecord(PutRecordsEntry Entry, int Events, bool IsAggregate)
{
    /// <summary>What Kinesis counts: data plus the UTF-8 partition key.</summary>
    public int Bytes { get; } = Entry.Data.Length + System.Text.Encoding.UTF8.GetByteCount(Entry.PartitionKey);
}
