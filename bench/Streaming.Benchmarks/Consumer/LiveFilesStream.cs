using Streaming.Core.Consumer;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// The stream <see cref="ShardConsumer.RunAsync"/> sees at the end of a simulation: the worker is already stopping,
/// so it asks for an iterator only to find the stop requested, and goes straight to its shutdown flush. The records
/// themselves are handed to <see cref="ShardConsumer.ProcessBatchAsync"/> by the driver.
/// </summary>
internal sealed class LiveFilesStream : IStreamReader
{
    public Task<IReadOnlyList<ShardDescription>> ListShardsAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("the simulation lists no shards");

    public Task<string> GetIteratorAsync(string shardId, StartingPosition start, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        throw new NotSupportedException("the simulation reads only through ProcessBatchAsync; RunAsync is called to stop");
    }

    public Task<RecordBatch> GetRecordsAsync(string iterator, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the simulation reads only through ProcessBatchAsync");
}
