namespace Streaming.Aws.Tests.Interop;

/// <summary>
/// A user record as the reference deaggregator gave it (read-deaggregated.js, codec.js). <see cref="SubSequenceNumber"/>
/// is null for a Kinesis record that was not aggregated. The stream fields are null when no stream was involved.
/// </summary>
internal sealed record ReferenceUserRecord(
    string PartitionKey,
    string? ExplicitHashKey,
    long? SubSequenceNumber,
    byte[] Data,
    string? ShardId = null,
    string? RecordPartitionKey = null,
    string? SequenceNumber = null);
