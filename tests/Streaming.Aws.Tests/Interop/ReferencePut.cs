namespace Streaming.Aws.Tests.Interop;

/// <summary>One aggregated record that put-aggregated.js made with the reference aggregator and put.</summary>
internal sealed record ReferencePut(string PartitionKey, string? ExplicitHashKey, int Bytes, string ShardId, string SequenceNumber);
