namespace Streaming.Aws.Kinesis;

/// <summary>One record as GetRecords returns it.</summary>
public sealed record KinesisRecord(
    ReadOnlyMemory<byte> Data,
    string SequenceNumber,
    string PartitionKey,
    DateTimeOffset? ApproximateArrivalTimestamp);
