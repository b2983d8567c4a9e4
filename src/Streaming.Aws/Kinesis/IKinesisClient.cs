using System.Numerics;

namespace Streaming.Aws.Kinesis;

/// <summary>
/// The Kinesis Data Streams operations the consumer needs, in the project's own types so that an
/// implementation over the official SDK can replace <see cref="KinesisClient"/> where that package is available.
/// Every failure surfaces as a <see cref="KinesisException"/> whose <see cref="KinesisException.Kind"/> says what to do.
/// </summary>
public interface IKinesisClient
{
    /// <summary>Creates a provisioned stream; it is <see cref="StreamStatus.Creating"/> until it becomes active.</summary>
    Task CreateStreamAsync(string streamName, int shardCount, CancellationToken cancellationToken = default);

    Task<StreamSummary> DescribeStreamSummaryAsync(string streamName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Polls <see cref="DescribeStreamSummaryAsync"/> until the stream is <see cref="StreamStatus.Active"/>.
    /// A stream not found yet is polled again (creation is eventually consistent); past <paramref name="timeout"/>
    /// a <see cref="TimeoutException"/> is thrown.
    /// </summary>
    Task<StreamSummary> WaitForStreamActiveAsync(string streamName, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every shard of the stream that <paramref name="filter"/> selects (all shards, closed ones included, when null),
    /// following NextToken until the last page. <paramref name="pageSize"/> bounds each page (MaxResults).
    /// </summary>
    Task<IReadOnlyList<Shard>> ListShardsAsync(
        string streamName,
        ShardFilter? filter = null,
        int? pageSize = null,
        CancellationToken cancellationToken = default);

    Task<string> GetShardIteratorAsync(
        string streamName,
        string shardId,
        ShardIteratorPosition position,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads from a shard iterator. A null <see cref="GetRecordsResult.NextShardIterator"/> means the shard is closed
    /// and fully read; <see cref="GetRecordsResult.ChildShards"/> then names its children.
    /// </summary>
    Task<GetRecordsResult> GetRecordsAsync(string shardIterator, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes up to 500 records. The call succeeds even when some entries fail: check
    /// <see cref="PutRecordsResult.FailedRecordCount"/> and resend the failed entries.
    /// </summary>
    Task<PutRecordsResult> PutRecordsAsync(
        string streamName,
        IReadOnlyList<PutRecordsEntry> records,
        CancellationToken cancellationToken = default);

    Task SplitShardAsync(
        string streamName,
        string shardToSplit,
        BigInteger newStartingHashKey,
        CancellationToken cancellationToken = default);

    Task MergeShardsAsync(
        string streamName,
        string shardToMerge,
        string adjacentShardToMerge,
        CancellationToken cancellationToken = default);
}
