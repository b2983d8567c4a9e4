namespace Streaming.Core.Buffers;

/// <summary>
/// What the objects around the values cost on a 64-bit heap, so that a buffer's <c>AllocatedBytes</c> is the memory
/// it really holds. With a flood of partitions of a few rows each these are most of it: measured, a (table, hour)
/// buffer of a dozen columns and a few rows holds about 18 KiB, of which the value chunks are about 10 KiB
/// (<c>BufferAccountingTests</c> keeps the count within -15 % and +25 % of what appending kept on the heap).
/// </summary>
internal static class HeapOverhead
{
    /// <summary>An array's header: object header, method table, length.</summary>
    public const int Array = 24;

    /// <summary>A small object's header and method table.</summary>
    public const int Object = 16;

    /// <summary>A <see cref="List{T}"/> of a few items: the list object and its backing array.</summary>
    public const int SmallList = 40 + Array + (4 * 8);

    /// <summary>An object reference, in a field or a list.</summary>
    public const int Reference = 8;

    /// <summary>
    /// A chunk kept by a chunked list: its array's header, its reference in one list and its start (or used count),
    /// an <see cref="int"/>, in another.
    /// </summary>
    public const int ListedChunk = Array + Reference + sizeof(int);

    /// <summary>An object with <paramref name="fields"/> bytes of fields.</summary>
    public static int Instance(int fields) => Object + fields;
}
