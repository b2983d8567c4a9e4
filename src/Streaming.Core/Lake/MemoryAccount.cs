namespace Streaming.Core.Lake;

/// <summary>
/// Memory held by the buffers of several lake writers (one per shard) in one process, so that one budget
/// covers them all: a burst on many shards cannot add up to more than the process was given.
/// </summary>
public sealed class MemoryAccount
{
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Add(long delta) => Interlocked.Add(ref _bytes, delta);
}
