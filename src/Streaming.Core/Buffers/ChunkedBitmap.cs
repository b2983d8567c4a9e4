namespace Streaming.Core.Buffers;

/// <summary>One bit per row telling whether a column has a value in that row, in 512-byte chunks.</summary>
internal sealed class ChunkedBitmap
{
    private const int WordsPerChunk = 64;
    private const int BitsPerChunk = WordsPerChunk * 64;
    private readonly List<ulong[]> _chunks = [];

    public long AllocatedBytes => (long)_chunks.Count * WordsPerChunk * sizeof(ulong);

    public void Set(int bit)
    {
        var chunk = bit / BitsPerChunk;
        while (_chunks.Count <= chunk)
        {
            _chunks.Add(new ulong[WordsPerChunk]);
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
        for (var i = 0; i < levels.Length; i++)
        {
            var value = Get(firstBit + i) ? 1 : 0;
            levels[i] = value;
            set += value;
        }

        return set;
    }
}
