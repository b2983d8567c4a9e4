namespace Streaming.Aws.Kinesis;

/// <summary>The outcome of one PutRecords entry, at the same index as the entry sent.</summary>
public sealed record PutRecordsResultEntry(string? SequenceNumber, string? ShardId, string? ErrorCode, string? ErrorMessage)
{
    public bool Succeeded => ErrorCode is null && SequenceNumber is not null;
}
