namespace Streaming.Aws.Kinesis;

/// <summary>What DescribeStreamSummary reports about a stream.</summary>
public sealed record StreamSummary(
    string StreamName,
    string? StreamArn,
    StreamStatus Status,
    int OpenShardCount,
    TimeSpan RetentionPeriod,
    DateTimeOffset? CreatedAt);
