namespace Streaming.Aws.Tests.Interop;

/// <summary>An NDJSON line given to <c>streaming produce</c> and the partition key it must be put with.</summary>
internal sealed record ProducedEvent(string Line, string PartitionKey);
