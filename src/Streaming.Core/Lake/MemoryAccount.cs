namespace Streaming.Core.Lake;

/// <summary>
/// Memory held by the buffers of several lake writers (one per shard) in one process, so that one budget
/// covers them all: a burst on many shards cannot add up to more than the process was given. Besides buffers,
/// encodes and encoded files (<see cref="Add"/>), it counts the stream answers being routed
/// (<see cref="AddReading"/>): they are part of the process's memory, but writing buffers early cannot free
/// them, so the flush policy looks at <see cref="WritableBytes"/> only (docs/memory.md).
/// </summary>
public sealed class MemoryAccount
{
    private long _bytes;
    private long _reading;

    /// <summary>Everything counted: buffers, rejected events, encodes, encoded files and answers being routed.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Stream answers being routed.</summary>
    public long ReadingBytes => Interlocked.Read(ref _reading);

    /// <summary>What writing buffers can free: everything but the answers being routed.</summary>
    public long WritableBytes => Bytes - ReadingBytes;

    public void Add(long delta) => Interlocked.Add(ref _bytes, delta);

    public void AddReading(long delta)
    {
        Interlocked.Add(ref _reading, delta);
        Interlocked.Add(ref _bytes, delta);
    }
}
