namespace Streaming.Cli.Produce;

/// <summary>The PutRecords quotas a producer must respect, whatever it is told.</summary>
internal static class KinesisLimits
{
    /// <summary>Records in one PutRecords call.</summary>
    public const int MaxRecordsPerCall = 500;

    /// <summary>Bytes in one PutRecords call: every record's data plus its partition key.</summary>
    public const int MaxBytesPerCall = 5 * 1024 * 1024;

    /// <summary>Bytes in one record: data plus partition key.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    /// <summary>A partition key is 1 to 256 Unicode characters.</summary>
    public const int MaxPartitionKeyLength = 256;
}
