namespace Streaming.Core.Consumer;

/// <summary>One Kinesis record.</summary>
public sealed record StreamRecord(string Sequence, ReadOnlyMemory<byte> Data, DateTimeOffset ArrivalTime);
