namespace Streaming.Core.Consumer;

/// <summary>
/// The stream as the consumer sees it (Kinesis in production, adapted in Streaming.Aws). Failures are the
/// domain's: <see cref="StreamThrottledException"/> (back off and retry), <see cref="IteratorExpiredException"/>
/// (get a new iterator after the last processed record); anything else is fatal for the shard's loop.
/// </summary>
public interface IStreamReader
{
    Task<IReadOnlyList<ShardDescription>> ListShardsAsync(CancellationToken cancellationToken);

    Task<string> GetIteratorAsync(string shardId, StartingPosition start, CancellationToken cancellationToken);

    Task<RecordBatch> GetRecordsAsync(string iterator, CancellationToken cancellationToken);
}
