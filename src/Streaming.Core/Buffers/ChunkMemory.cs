namespace Streaming.Core.Buffers;

/// <summary>
/// Allocates the chunks column buffers keep their values in. They live until their buffer is written, which for
/// a conversion is the end of the input: allocated as ordinary small objects they are copied from generation 0 to 1
/// to 2 by the collector, and allocated as large objects they take collector time at every full collection's
/// compaction. Chunks of a few KiB and more go to the pinned object heap instead, which never moves them; and
/// they are not zeroed, because only what was written is ever read, so a chunk's untouched tail costs no page
/// faults either (fresh memory is expensive to touch).
/// </summary>
internal static class ChunkMemory
{
    /// <summary>Below this, a chunk is an ordinary array: small chunks are many and die young when a column stays small.</summary>
    private const int PinnedFromBytes = 4096;

    public static T[] Allocate<T>(int length)
        where T : unmanaged
    {
        var bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        return bytes < PinnedFromBytes ? new T[length] : GC.AllocateUninitializedArray<T>(length, pinned: true);
    }
}
