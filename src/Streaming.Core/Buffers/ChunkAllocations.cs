namespace Streaming.Core.Buffers;

/// <summary>
/// Counts the chunks a partition buffer's columns allocate, so that the buffer recounts its memory exactly when it
/// grew (a chunk is allocated once every many values, so this costs nothing per value).
/// </summary>
internal sealed class ChunkAllocations
{
    public int Count { get; private set; }

    public void Allocated() => Count++;
}
