namespace Streaming.Aws.Kinesis;

public enum ShardIteratorType
{
    /// <summary>The oldest record still retained in the shard.</summary>
    TrimHorizon,

    /// <summary>Just after the newest record: only records written from now on.</summary>
    Latest,

    /// <summary>The first record that arrived at or after a timestamp.</summary>
    AtTimestamp,

    /// <summary>The record with the given sequence number.</summary>
    AtSequenceNumber,

    /// <summary>The record just after the given sequence number.</summary>
    AfterSequenceNumber,
}
