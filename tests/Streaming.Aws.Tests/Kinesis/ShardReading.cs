using Streaming.Aws.Kinesis;

namespace Streaming.Aws.Tests.Kinesis;

internal static class ShardReading
{
    /// <summary>
    /// Follows an iterator until a page is empty and caught up (MillisBehindLatest 0), or the shard ends.
    /// Bounded by a call count so a misbehaving server fails the test instead of hanging it.
    /// </summary>
    public static async Task<(List<KinesisRecord> Records, GetRecordsResult Last)> ReadUntilCaughtUpAsync(
        IKinesisClient client,
        string iterator,
        int? limit = null,
        int maxCalls = 500)
    {
        var records = new List<KinesisRecord>();
        var next = iterator;
        for (var call = 0; call < maxCalls; call++)
        {
            var page = await client.GetRecordsAsync(next, limit);
            records.AddRange(page.Records);
            if (page.IsShardEnd || (page.Records.Count == 0 && page.MillisBehindLatest is null or 0))
            {
                return (records, page);
            }

            next = page.NextShardIterator!;
        }

        throw new InvalidOperationException($"Shard not caught up after {maxCalls} GetRecords calls ({records.Count} records)");
    }
}
