using System.Buffers;
using Streaming.Core.Events;
using Streaming.Core.Schema;
namespace Streaming.Core.Buffers;

/// <summary>
/// VARCHAR, stored as UTF-8 bytes in chunks plus one length per value (one byte for the usual short value, see
/// <see cref="LongLength"/>). Takes strings, arrays (as their JSON
/// text) and any other scalar as its exact JSON text (<c>42</c>, <c>1.50</c>, <c>true</c>): the text is the
/// value, nothing is lost.
/// </summary>
public sealed class StringColumnBuffer : ColumnBuffer
{
    private const int FirstChunkBytes = 256;
    private const int MaxChunkBytes = 1024 * 1024;
    private readonly List<byte[]> _chunks = [];
    private readonly List<int> _chunkUsed = [];
    /// <summary>A length byte saying "the length is the next entry of <c>_longLengths</c>".</summary>
    private const byte LongLength = byte.MaxValue;

    // Four bytes per value were about a fifth of the buffers' memory on the benchmark's events (ids, codes, names are
    // short), and fresh memory is expensive to touch: lengths below 255 take one byte, longer ones go to their own
    // list, in order.
    private readonly ChunkedList<byte> _lengths;
    private readonly ChunkedList<int> _longLengths;
    private long _dataBytes;
    private byte[]? _current;
    private int _currentUsed;

    internal StringColumnBuffer(ColumnDefinition definition, int startRow, ChunkAllocations? allocations = null)
        : base(definition, startRow, allocations)
    {
        _lengths = new ChunkedList<byte>(allocations);
        _longLengths = new ChunkedList<int>(allocations);
    }

    protected override long ValueBytes => (2 * HeapOverhead.SmallList) + _dataBytes + ((long)_chunks.Count * HeapOverhead.ListedChunk) + _lengths.AllocatedBytes + _longLengths.AllocatedBytes;

    /// <summary>Total UTF-8 bytes of all values.</summary>
    public long Utf8Length { get; private set; }

    private protected override bool TryAppendValue(in FieldEntry field, NormalizedEvent ev, ReadOnlySpan<byte> input)
    {
        switch (field.Kind)
        {
            case ValueKind.String:
            case ValueKind.JsonText:
                Add(ev.ValueBytes(field, input));
                return true;
            case ValueKind.Int64:
            case ValueKind.Double:
            case ValueKind.Boolean:
            case ValueKind.UnrepresentableNumber:
                Add(ev.RawBytes(field, input));
                return true;
            default:
                return false;
        }
    }

    internal void Add(ReadOnlySpan<byte> utf8)
    {
        var current = _current;
        if (current is null || current.Length - _currentUsed < utf8.Length)
        {
            current = NewChunk(utf8.Length);
        }

        utf8.CopyTo(current.AsSpan(_currentUsed));
        _currentUsed += utf8.Length;
        if (utf8.Length < LongLength)
        {
            _lengths.Add((byte)utf8.Length);
        }
        else
        {
            _lengths.Add(LongLength);
            _longLengths.Add(utf8.Length);
        }

        Utf8Length += utf8.Length;
    }

    /// <summary>
    /// The next data chunk, twice the last one up to 1 MiB; a value never spans chunks, so a value larger than that
    /// gets a chunk of its own. Kept out of <see cref="Add"/>, the per-value path.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private byte[] NewChunk(int minimum)
    {
        if (_current is not null)
        {
            _chunkUsed[^1] = _currentUsed;
        }

        var size = _current is null ? FirstChunkBytes : Math.Min(MaxChunkBytes, _current.Length * 2);
        var chunk = ChunkMemory.Allocate<byte>(Math.Max(size, minimum));
        _current = chunk;
        _currentUsed = 0;
        _chunks.Add(chunk);
        _chunkUsed.Add(0);
        _dataBytes += chunk.Length;
        Allocations?.Allocated();
        return chunk;
    }

    public Reader CreateReader() => new(this);

    /// <summary>Bytes used in a chunk; the current chunk's count is kept in a field, not written to the list per value.</summary>
    private int Used(int chunk) => chunk == _chunks.Count - 1 ? _currentUsed : _chunkUsed[chunk];

    private protected override IEnumerable<object> EnumerateValues()
    {
        var lengths = new int[ValueCount];
        CopyLengths(0, lengths);
        var reader = CreateReader();
        foreach (var n in lengths)
        {
            yield return System.Text.Encoding.UTF8.GetString(reader.Next(n));
        }
    }

    private protected override bool TryAppendConverted(object value)
    {
        var text = value switch
        {
            string s => s,
            long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            _ => null,
        };
        if (text is null)
        {
            return false;
        }

        Add(System.Text.Encoding.UTF8.GetBytes(text));
        return true;
    }

    /// <summary>Copies the UTF-8 lengths of the values from value index <paramref name="firstValue"/>.</summary>
    public void CopyLengths(int firstValue, Span<int> destination)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(destination.Length);
        try
        {
            var bytes = rented.AsSpan(0, destination.Length);
            _lengths.CopyTo(firstValue, bytes);
            for (var i = 0; i < bytes.Length; i++)
            {
                destination[i] = bytes[i];
            }

            if (_longLengths.Count == 0 || !bytes.Contains(LongLength))
            {
                return;
            }

            var nextLong = LongLengthsBefore(firstValue);
            Span<int> one = stackalloc int[1];
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == LongLength)
                {
                    _longLengths.CopyTo(nextLong++, one);
                    destination[i] = one[0];
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>How many of the values before value <paramref name="value"/> have a long length (once per column and row group).</summary>
    private int LongLengthsBefore(int value)
    {
        if (value == 0)
        {
            return 0;
        }

        var block = ArrayPool<byte>.Shared.Rent(Math.Min(value, 64 * 1024));
        try
        {
            var count = 0;
            for (var start = 0; start < value;)
            {
                var n = Math.Min(value - start, block.Length);
                _lengths.CopyTo(start, block.AsSpan(0, n));
                count += block.AsSpan(0, n).Count(LongLength);
                start += n;
            }

            return count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>
    /// Where each value from value index 0 lies (chunk in the high 32 bits, offset in the low 32), for reading values
    /// out of order with <see cref="ValueAt"/>; <paramref name="lengths"/> are the values' lengths (see <see cref="CopyLengths"/>).
    /// </summary>
    public void CopyLocations(ReadOnlySpan<int> lengths, Span<long> destination)
    {
        // The same walk as Reader.Next: a value that does not fit in the rest of a chunk starts the next one.
        var chunk = 0;
        var offset = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            var length = lengths[i];
            if (length > 0 && offset + length > Used(chunk))
            {
                chunk++;
                offset = 0;
            }

            destination[i] = ((long)chunk << 32) | (uint)offset;
            offset += length;
        }
    }

    /// <summary>The bytes of one value, located by <see cref="CopyLocations"/>.</summary>
    public ReadOnlySpan<byte> ValueAt(long location, int length) =>
        length == 0 ? ReadOnlySpan<byte>.Empty : _chunks[(int)(location >> 32)].AsSpan((int)(uint)location, length);

    /// <summary>Reads the values in order; the caller supplies each length (see <see cref="CopyLengths"/>).</summary>
    public struct Reader
    {
        private readonly StringColumnBuffer _owner;
        private int _chunk;
        private int _offset;

        internal Reader(StringColumnBuffer owner)
        {
            _owner = owner;
        }

        public ReadOnlySpan<byte> Next(int length)
        {
            if (length == 0)
            {
                return ReadOnlySpan<byte>.Empty;
            }

            if (_offset + length > _owner.Used(_chunk))
            {
                _chunk++;
                _offset = 0;
            }

            var span = _owner._chunks[_chunk].AsSpan(_offset, length);
            _offset += length;
            return span;
        }

        /// <summary>
        /// The bytes of as many of the next values (whose lengths are <paramref name="lengths"/>) as lie together
        /// in one chunk, at least one; <paramref name="taken"/> says how many. Values never span chunks, so a run
        /// is a plain concatenation that can be transcoded in one call.
        /// </summary>
        public ReadOnlySpan<byte> NextRun(ReadOnlySpan<int> lengths, out int taken)
        {
            taken = 0;
            if (lengths.IsEmpty)
            {
                return ReadOnlySpan<byte>.Empty;
            }

            if (lengths[0] > 0 && _offset + lengths[0] > _owner.Used(_chunk))
            {
                _chunk++;
                _offset = 0;
            }

            var available = _chunk < _owner._chunks.Count ? _owner.Used(_chunk) - _offset : 0;
            var bytes = 0;
            while (taken < lengths.Length && bytes + lengths[taken] <= available)
            {
                bytes += lengths[taken++];
            }

            var span = bytes == 0 ? ReadOnlySpan<byte>.Empty : _owner._chunks[_chunk].AsSpan(_offset, bytes);
            _offset += bytes;
            return span;
        }
    }
}
