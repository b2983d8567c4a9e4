namespace Streaming.TestSupport.Emulators;

public enum EmulatorKind
{
    /// <summary>kinesis-local (kinesis-mock).</summary>
    Kinesis,

    /// <summary>dynalite (DynamoDB on LevelDB).</summary>
    DynamoDb,

    /// <summary>s3rver (S3, path-style).</summary>
    S3,
}
