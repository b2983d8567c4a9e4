namespace Streaming.Core.Buffers;

/// <summary>One bit per row telling whether a column has a value in that row, in 512-byte chunks.</summary>
internal sealed class ChunkedBitmap
{
    private const int WordsPerChunk = 64;
    private const int BitsPerChunk = WordsPerChunk * 64;
    private readonly List<ulong[]> _chunks = [];

    // Rows are appended in order, so nearly every Set lands in the last chunk.
    private ulong[]? _last;
    private int _lastStart = -1;
    private readonly ChunkAllocations? _allocations;

    public ChunkedBitmap(ChunkAllocations? allocations = null) => _allocations = allocations;

    /// <summary>The chunks, their headers and this object with its list.</summary>
    public long AllocatedBytes => HeapOverhead.Instance(32) + HeapOverhead.SmallList + ((long)_chunks.Count * ((WordsPerChunk * sizeof(ulong)) + HeapOverhead.Array + HeapOverhead.Reference));

    public void Set(int bit)
    {
        var inLast = bit - _lastStart;
        if ((uint)inLast < BitsPerChunk && _last is not null)
        {
            _last[inLast >> 6] |= 1UL << (inLast & 63);
            return;
        }

        SetSlow(bit);
    }

    private void SetSlow(int bit)
    {
        var chunk = bit / BitsPerChunk;
        while (_chunks.Count <= chunk)
        {
            _chunks.Add(new ulong[WordsPerChunk]);
            _allocations?.Allocated();
        }

        if (chunk == _chunks.Count - 1)
        {
            _last = _chunks[chunk];
            _lastStart = chunk * BitsPerChunk;
        }

        var inChunk = bit % BitsPerChunk;
        _chunks[chunk][inChunk >> 6] |= 1UL << (inChunk & 63);
    }

    public bool Get(int bit)
    {
        if (bit < 0)
        {
            return false;
        }

        var chunk = bit / BitsPerChunk;
        if (chunk >= _chunks.Count)
        {
            return false;
        }

        var inChunk = bit % BitsPerChunk;
        return (_chunks[chunk][inChunk >> 6] & (1UL << (inChunk & 63))) != 0;
    }

    /// <summary>
    /// Writes 1 (value) or 0 (null) for each bit from <paramref name="firstBit"/> (which may be negative:
    /// rows before the column existed) and returns how many are set.
    /// </summary>
    public int FillLevels(int firstBit, Span<int> levels)
    {
        var set = 0;
        var i = 0;
        for (; i < levels.Length && firstBit + i < 0; i++)
        {
            levels[i] = 0;
        }

        while (i < levels.Length)
        {
            var bit = firstBit + i;
            var chunk = bit / BitsPerChunk;
            var inChunk = bit % BitsPerChunk;
            var n = Math.Min(levels.Length - i, BitsPerChunk - inChunk);
            if (chunk >= _chunks.Count)
            {
                levels.Slice(i, levels.Length - i).Clear();
                break;
            }

            var words = _chunks[chunk];
            for (var k = 0; k < n; k++, inChunk++)
            {
                var value = (int)((words[inChunk >> 6] >> (inChunk & 63)) & 1);
                levels[i + k] = value;
                set += value;
            }

            i += n;
        }

        return set;
    }
}
