namespace Streaming.Aws.Kinesis;

/// <summary>The answer of PutRecords: one entry per record sent, in order.</summary>
public sealed record PutRecordsResult(int FailedRecordCount, IReadOnlyList<PutRecordsResultEntry> Entries);
