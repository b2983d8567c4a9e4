using System.Numerics;
using Streaming.Aws.Kinesis;

namespace Streaming.Aws.Tests.Produce;

/// <summary>
/// An <see cref="IKinesisClient"/> that records every PutRecords call and answers it with <see cref="Answer"/>
/// (every entry accepted by default). Only for producer unit tests; everything else runs against kinesis-local.
/// </summary>
internal sealed class FakeKinesisClient : IKinesisClient
{
    private long _sequence;

    /// <summary>Decides each call's answer from the call's number (0-based) and its entries; null accepts all.</summary>
    public Func<int, IReadOnlyList<PutRecordsEntry>, PutRecordsResult?> Answer { get; set; } = (_, _) => null;

    public List<IReadOnlyList<PutRecordsEntry>> Calls { get; } = [];

    public IReadOnlyList<Shard> Shards { get; set; } = [Shard("shardId-000000000000", 0, HashKeyRange.MaxHashKey)];

    public static Shard Shard(string id, BigInteger start, BigInteger end) =>
        new(id, null, null, new HashKeyRange(start, end), new SequenceNumberRange("1", null));

    public PutRecordsResultEntry Ok() => new((++_sequence).ToString(System.Globalization.CultureInfo.InvariantCulture), "shardId-000000000000", null, null);

    public static PutRecordsResultEntry Error(string code) => new(null, null, code, $"{code} for this entry");

    public Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<PutRecordsEntry> records, CancellationToken cancellationToken = default)
    {
        Assert.InRange(records.Count, 1, 500);
        var call = Calls.Count;
        Calls.Add([.. records]);
        var answer = Answer(call, records) ?? new PutRecordsResult(0, [.. records.Select(_ => Ok())]);
        return Task.FromResult(answer);
    }

    public Task<IReadOnlyList<Shard>> ListShardsAsync(string streamName, ShardFilter? filter = null, int? pageSize = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Shards);

    public Task CreateStreamAsync(string streamName, int shardCount, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StreamSummary> DescribeStreamSummaryAsync(string streamName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StreamSummary> WaitForStreamActiveAsync(string streamName, TimeSpan timeout, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<string> GetShardIteratorAsync(string streamName, string shardId, ShardIteratorPosition position, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<GetRecordsResult> GetRecordsAsync(string shardIterator, int? limit = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task SplitShardAsync(string streamName, string shardToSplit, BigInteger newStartingHashKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task MergeShardsAsync(string streamName, string shardToMerge, string adjacentShardToMerge, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
