namespace Streaming.Aws.Kinesis;

/// <summary>One record to write. <paramref name="ExplicitHashKey"/> overrides the hash of the partition key.</summary>
public sealed record PutRecordsEntry(ReadOnlyMemory<byte> Data, string PartitionKey, string? ExplicitHashKey = null);
