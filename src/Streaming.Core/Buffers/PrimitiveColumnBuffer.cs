using Streaming.Core.Events;
using Streaming.Core.Schema;

namespace Streaming.Core.Buffers;

/// <summary>A column of fixed-size values.</summary>
public abstract class PrimitiveColumnBuffer<T> : ColumnBuffer
    where T : unmanaged
{
    private readonly ChunkedList<T> _values;

    private protected PrimitiveColumnBuffer(ColumnDefinition definition, int startRow, ChunkAllocations? allocations)
        : base(definition, startRow, allocations)
    {
        _values = new ChunkedList<T>(allocations);
    }

    protected override long ValueBytes => _values.AllocatedBytes;

    /// <summary>Copies packed non-null values, from the value with index <paramref name="firstValue"/>.</summary>
    public void CopyValues(int firstValue, Span<T> destination) => _values.CopyTo(firstValue, destination);

    private protected void Add(T value) => _values.Add(value);

    private protected override IEnumerable<object> EnumerateValues()
    {
        var one = new T[1];
        for (var i = 0; i < ValueCount; i++)
        {
            _values.CopyTo(i, one);
            yield return one[0];
        }
    }
}

/// <summary>BIGINT. Takes integers, and numbers written with a fraction or exponent whose value is a whole int64 (3.0, 1e3).</summary>
public sealed class Int64ColumnBuffer : PrimitiveColumnBuffer<long>
{
    internal Int64ColumnBuffer(ColumnDefinition definition, int startRow, ChunkAllocations? allocations = null)
        : base(definition, startRow, allocations)
    {
    }

    private protected override bool TryAppendValue(in FieldEntry field, NormalizedEvent ev, ReadOnlySpan<byte> input)
    {
        switch (field.Kind)
        {
            case ValueKind.Int64:
                Add(field.Int64);
                return true;
            case ValueKind.Double when IsWholeInt64(field.Double):
                Add((long)field.Double);
                return true;
            default:
                return false;
        }
    }

    private protected override bool TryAppendConverted(object value)
    {
        switch (value)
        {
            case long l:
                Add(l);
                return true;
            case double d when IsWholeInt64(d):
                Add((long)d);
                return true;
            default:
                return false;
        }
    }

    private static bool IsWholeInt64(double d) => double.IsInteger(d) && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18;
}

/// <summary>DOUBLE. Takes doubles, and integers (widened, as Athena widens BIGINT to DOUBLE).</summary>
public sealed class DoubleColumnBuffer : PrimitiveColumnBuffer<double>
{
    internal DoubleColumnBuffer(ColumnDefinition definition, int startRow, ChunkAllocations? allocations = null)
        : base(definition, startRow, allocations)
    {
    }

    private protected override bool TryAppendValue(in FieldEntry field, NormalizedEvent ev, ReadOnlySpan<byte> input)
    {
        switch (field.Kind)
        {
            case ValueKind.Double:
                Add(field.Double);
                return true;
            case ValueKind.Int64:
                Add(field.Int64);
                return true;
            default:
                return false;
        }
    }

    private protected override bool TryAppendConverted(object value)
    {
        switch (value)
        {
            case double d:
                Add(d);
                return true;
            case long l:
                Add(l);
                return true;
            default:
                return false;
        }
    }
}

/// <summary>BOOLEAN. Takes only true and false.</summary>
public sealed class BooleanColumnBuffer : PrimitiveColumnBuffer<bool>
{
    internal BooleanColumnBuffer(ColumnDefinition definition, int startRow, ChunkAllocations? allocations = null)
        : base(definition, startRow, allocations)
    {
    }

    private protected override bool TryAppendValue(in FieldEntry field, NormalizedEvent ev, ReadOnlySpan<byte> input)
    {
        if (field.Kind != ValueKind.Boolean)
        {
            return false;
        }

        Add(field.Int64 != 0);
        return true;
    }

    private protected override bool TryAppendConverted(object value)
    {
        if (value is not bool b)
        {
            return false;
        }

        Add(b);
        return true;
    }
}

/// <summary>TIMESTAMP, as UTC milliseconds since the epoch. Only the event time goes here.</summary>
public sealed class TimestampColumnBuffer : PrimitiveColumnBuffer<long>
{
    internal TimestampColumnBuffer(ColumnDefinition definition, int startRow, ChunkAllocations? allocations = null)
        : base(definition, startRow, allocations)
    {
    }

    private protected override bool TryAppendValue(in FieldEntry field, NormalizedEvent ev, ReadOnlySpan<byte> input)
    {
        if (field.Kind != ValueKind.Timestamp)
        {
            return false;
        }

        Add(field.Int64);
        return true;
    }

    private protected override bool TryAppendConverted(object value) => false;
}
