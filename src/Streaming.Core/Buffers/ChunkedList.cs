namespace Streaming.Core.Buffers;

/// <summary>
/// An append-only list stored in chunks that start small and grow to 64 KiB: growing never copies what is
/// already there, a sparse column costs little, and memory stays close to the size of the data.
/// </summary>
internal sealed class ChunkedList<T>
    where T : unmanaged
{
    private const int FirstChunkBytes = 128;
    private const int MaxChunkBytes = 64 * 1024;
    private static readonly int ElementSize = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
    private readonly List<T[]> _chunks = [];
    private readonly List<int> _starts = [];
    private readonly ChunkAllocations? _allocations;
    private T[]? _current;
    private int _used;

    public ChunkedList(ChunkAllocations? allocations = null) => _allocations = allocations;

    public int Count { get; private set; }

    /// <summary>The chunks, their headers and this object with its two lists.</summary>
    public long AllocatedBytes { get; private set; } = HeapOverhead.Instance(48) + (2 * HeapOverhead.SmallList);

    public void Add(T value)
    {
        var current = _current;
        if (current is null || _used == current.Length)
        {
            current = Grow();
        }

        current[_used++] = value;
        Count++;
    }

    /// <summary>A new chunk, twice the last one up to 64 KiB; kept out of <see cref="Add"/> so that stays small enough to inline.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private T[] Grow()
    {
        var bytes = _current is null ? FirstChunkBytes : Math.Min(MaxChunkBytes, _current.Length * ElementSize * 2);
        var chunk = ChunkMemory.Allocate<T>(Math.Max(1, bytes / ElementSize));
        _current = chunk;
        _chunks.Add(chunk);
        _starts.Add(Count);
        _allocations?.Allocated();
        AllocatedBytes += ((long)chunk.Length * ElementSize) + HeapOverhead.ListedChunk;
        _used = 0;
        return chunk;
    }

    /// <summary>Copies <paramref name="destination"/>.Length items starting at item <paramref name="start"/>.</summary>
    public void CopyTo(int start, Span<T> destination)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        var chunk = _starts.BinarySearch(start);
        if (chunk < 0)
        {
            chunk = ~chunk - 1;
        }

        var copied = 0;
        var offset = start - _starts[chunk];
        while (copied < destination.Length)
        {
            var source = _chunks[chunk];
            var available = (chunk == _chunks.Count - 1 ? _used : source.Length) - offset;
            var n = Math.Min(available, destination.Length - copied);
            source.AsSpan(offset, n).CopyTo(destination.Slice(copied, n));
            copied += n;
            chunk++;
            offset = 0;
        }
    }
}
