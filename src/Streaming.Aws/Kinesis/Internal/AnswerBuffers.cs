namespace Streaming.Aws.Kinesis.Internal;

/// <summary>
/// The arrays GetRecords answers are read into, kept for the next answer. An answer of 10 MB of records is about
/// 14 MB of JSON: a fresh array for each would put a large object on the heap every read of every shard, and under
/// the worker's hard heap limit that churn of large regions ran the heap out with little of it live
/// (docs/memory.md). At most <see cref="MaxKept"/> arrays are kept, as many as answers are read at the same time, and
/// none larger than a full answer.
/// </summary>
/// <remarks>
/// Not <see cref="System.Buffers.ArrayPool{T}"/>: the shared pool keeps arrays per thread and per core, and one made
/// with <c>ArrayPool.Create(16 MiB, 4)</c> keeps up to four arrays in each power-of-two size, so a shard that caught up
/// (16 MiB answers) and then idles (small ones) would keep both kinds. The bound that matters here is the number of
/// arrays in all, which the heap's headroom is sized for.
/// </remarks>
internal sealed class AnswerBuffers
{
    /// <summary>Arrays kept between reads: one per shard read at the same time, up to four (the heap's headroom covers four).</summary>
    public const int MaxKept = 4;

    /// <summary>The largest array kept: a full answer (10 MB of records as base64 JSON) fits.</summary>
    public const int MaxKeptBytes = 16 * 1024 * 1024;

    private const int Granule = 1024 * 1024;
    private readonly List<byte[]> _kept = [];

    /// <summary>An array of at least <paramref name="length"/> bytes: a kept one that fits, or a new one.</summary>
    public byte[] Rent(int length)
    {
        lock (_kept)
        {
            // The smallest kept array that fits, so large ones stay for large answers.
            var best = -1;
            for (var i = 0; i < _kept.Count; i++)
            {
                if (_kept[i].Length >= length && (best < 0 || _kept[i].Length < _kept[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                var found = _kept[best];
                _kept.RemoveAt(best);
                return found;
            }
        }

        // Rounded up to a whole MiB (at most a kept array's size), so that answers of slowly growing size do not each
        // need a new array; an answer larger than any kept array gets one of its own size.
        var size = length > MaxKeptBytes ? length : Math.Min(MaxKeptBytes, (length + Granule - 1) / Granule * Granule);
        return GC.AllocateUninitializedArray<byte>(size);
    }

    /// <summary>Gives an array back once its answer is parsed (nothing may refer into it afterwards).</summary>
    public void Return(byte[] buffer)
    {
        if (buffer.Length > MaxKeptBytes)
        {
            return;
        }

        lock (_kept)
        {
            if (_kept.Count < MaxKept)
            {
                _kept.Add(buffer);
                return;
            }

            // Full: keep the larger of the smallest kept and this one.
            var smallest = 0;
            for (var i = 1; i < _kept.Count; i++)
            {
                if (_kept[i].Length < _kept[smallest].Length)
                {
                    smallest = i;
                }
            }

            if (_kept[smallest].Length < buffer.Length)
            {
                _kept[smallest] = buffer;
            }
        }
    }

    /// <summary>Arrays kept now (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_kept)
            {
                return _kept.Count;
            }
        }
    }
}
