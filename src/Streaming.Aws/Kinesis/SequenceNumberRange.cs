namespace Streaming.Aws.Kinesis;

/// <summary>The sequence numbers of a shard; an ending number is present only once the shard is closed.</summary>
public sealed record SequenceNumberRange(string StartingSequenceNumber, string? EndingSequenceNumber);
