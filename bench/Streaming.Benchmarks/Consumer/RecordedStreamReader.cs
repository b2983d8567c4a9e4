using System.Globalization;
using System.Text.Json;
using Streaming.Aws.Kinesis.Internal;
using Streaming.Core.Consumer;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// The consumer's stream, served from recorded GetRecords answers instead of HTTP: each body is parsed with the
/// real wire reader (<see cref="KinesisWire.ReadGetRecords"/>, base64 decoding included) and turned into a
/// <see cref="RecordBatch"/> exactly as <c>KinesisStreamReader</c> does. Counts the record data handed out and
/// the CPU the parsing took.
/// </summary>
internal sealed class RecordedStreamReader : IStreamReader
{
    private readonly Dictionary<string, RecordedShard> _shards;
    private long _records;
    private long _recordBytes;
    private long _parseNanoseconds;
    private long _reads;

    public RecordedStreamReader(IEnumerable<RecordedShard> shards)
    {
        _shards = shards.ToDictionary(s => s.ShardId, StringComparer.Ordinal);
    }

    public long Records => Interlocked.Read(ref _records);

    public long RecordBytes => Interlocked.Read(ref _recordBytes);

    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Thread CPU spent parsing answers into batches.</summary>
    public TimeSpan ParseCpu => TimeSpan.FromTicks(Interlocked.Read(ref _parseNanoseconds) / 100);

    public Task<IReadOnlyList<ShardDescription>> ListShardsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ShardDescription>>(_shards.Keys.Select(id => new ShardDescription(id, [], false)).ToList());

    public Task<string> GetIteratorAsync(string shardId, StartingPosition start, CancellationToken cancellationToken)
    {
        // Every benchmark lease starts at TRIM_HORIZON and no shard is ever resumed.
        if (start.Kind != StartingPositionKind.TrimHorizon || !_shards.ContainsKey(shardId))
        {
            throw new NotSupportedException($"the recorded stream starts {shardId} at TRIM_HORIZON only, not {start.Kind}");
        }

        return Task.FromResult(RecordedStreamBuilder.Iterator(shardId, 0));
    }

    public async Task<RecordBatch> GetRecordsAsync(string iterator, CancellationToken cancellationToken)
    {
        // A real answer arrives asynchronously: the shard's loop continues on a pool thread, as it does after HTTP.
        await Task.Yield();
        var slash = iterator.LastIndexOf('/');
        var shard = _shards[iterator[..slash]];
        var body = shard.Responses[int.Parse(iterator.AsSpan(slash + 1), CultureInfo.InvariantCulture)];

        var started = ThreadCpu.Now();
        RecordBatch batch;
        long bytes = 0;
        {
            // The client's own path: the answer's bytes read in one pass, as KinesisClient.GetRecordsAsync does.
            var result = KinesisWire.ReadGetRecords("GetRecords", body);
            var records = result.Records
                .Select(r => new StreamRecord(r.SequenceNumber, r.Data, r.ApproximateArrivalTimestamp ?? DateTimeOffset.UnixEpoch))
                .ToList();
            batch = new RecordBatch(records, result.NextShardIterator, result.MillisBehindLatest, result.ChildShards.Select(c => c.ShardId).ToList());
            foreach (var r in records)
            {
                bytes += r.Data.Length;
            }
        }

        Interlocked.Add(ref _parseNanoseconds, ThreadCpu.Now() - started);
        Interlocked.Add(ref _records, batch.Records.Count);
        Interlocked.Add(ref _recordBytes, bytes);
        Interlocked.Increment(ref _reads);
        return batch;
    }
}
