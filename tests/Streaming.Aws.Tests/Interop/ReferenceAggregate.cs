namespace Streaming.Aws.Tests.Interop;

/// <summary>An aggregated record the reference aggregator made (codec.js), with the keys it would be put with.</summary>
internal sealed record ReferenceAggregate(string PartitionKey, string? ExplicitHashKey, byte[] Data);
