namespace Streaming.Core.Decoding.Kpl;

/// <summary>An aggregated record ready to be put: magic bytes, the protobuf <c>AggregatedRecord</c>, its MD5.</summary>
/// <param name="Data">The record's data blob.</param>
/// <param name="PartitionKey">The partition key to put it with: the first user record's (as the KPL does).</param>
/// <param name="ExplicitHashKey">The first user record's explicit hash key, if it had one.</param>
/// <param name="UserRecordCount">How many user records it holds.</param>
public sealed record KplAggregatedRecord(ReadOnlyMemory<byte> Data, string PartitionKey, string? ExplicitHashKey, int UserRecordCount)
{
    /// <summary>What Kinesis counts against its per-record limit: the data plus the UTF-8 partition key.</summary>
    public int SizeBytes => Data.Length + System.Text.Encoding.UTF8.GetByteCount(PartitionKey);
}
