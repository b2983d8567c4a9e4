using Streaming.Aws.Kinesis;
using Streaming.Core.Consumer;

namespace Streaming.Aws.Consumer;

/// <summary>
/// The consumer's view of a Kinesis stream, over the project's Kinesis client. Kinesis errors become the
/// consumer's outcomes here, at the boundary: throttling and unavailability to <see cref="StreamThrottledException"/>,
/// an expired iterator to <see cref="IteratorExpiredException"/>; anything else stays a <see cref="KinesisException"/>.
/// </summary>
public sealed class KinesisStreamReader : IStreamReader
{
    private readonly IKinesisClient _client;
    private readonly string _streamName;
    private readonly int _limit;

    public KinesisStreamReader(IKinesisClient client, string streamName, int recordsPerRead = 10_000)
    {
        _client = client;
        _streamName = streamName;
        _limit = recordsPerRead;
    }

    public async Task<IReadOnlyList<ShardDescription>> ListShardsAsync(CancellationToken cancellationToken)
    {
        var shards = await Translate(() => _client.ListShardsAsync(_streamName, null, null, cancellationToken)).ConfigureAwait(false);
        return shards
            .Select(s => new ShardDescription(s.ShardId, new[] { s.ParentShardId, s.AdjacentParentShardId }.OfType<string>().ToList(), s.IsOpen))
            .ToList();
    }

    public Task<string> GetIteratorAsync(string shardId, StartingPosition start, CancellationToken cancellationToken)
    {
        var position = start.Kind switch
        {
            StartingPositionKind.Latest => ShardIteratorPosition.Latest,
            StartingPositionKind.AtTimestamp => ShardIteratorPosition.AtTimestamp(start.Timestamp ?? DateTimeOffset.UnixEpoch),
            StartingPositionKind.AtSequence => ShardIteratorPosition.AtSequenceNumber(start.Sequence!),
            StartingPositionKind.AfterSequence => ShardIteratorPosition.AfterSequenceNumber(start.Sequence!),
            _ => ShardIteratorPosition.TrimHorizon,
        };
        return TranslateGone(shardId, () => Translate(() => _client.GetShardIteratorAsync(_streamName, shardId, position, cancellationToken)));
    }

    private static async Task<T> TranslateGone<T>(string shardId, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (KinesisException e) when (e.Kind == KinesisErrorKind.NotFound)
        {
            throw new ShardGoneException($"shard {shardId}: {e.Message}", e);
        }
    }

    public async Task<RecordBatch> GetRecordsAsync(string iterator, CancellationToken cancellationToken)
    {
        var result = await Translate(() => _client.GetRecordsAsync(iterator, _limit, cancellationToken)).ConfigureAwait(false);
        var records = result.Records
            .Select(r => new StreamRecord(r.SequenceNumber, r.Data, r.ApproximateArrivalTimestamp ?? DateTimeOffset.UnixEpoch))
            .ToList();
        return new RecordBatch(records, result.NextShardIterator, result.MillisBehindLatest, result.ChildShards.Select(c => c.ShardId).ToList());
    }

    private static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (KinesisException e) when (e.Kind is KinesisErrorKind.Throttled or KinesisErrorKind.Unavailable)
        {
            throw new StreamThrottledException(e.Message, e);
        }
        catch (KinesisException e) when (e.Kind == KinesisErrorKind.IteratorExpired)
        {
            throw new IteratorExpiredException(e.Message, e);
        }
    }
}
