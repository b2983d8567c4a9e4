using Streaming.Core.Events;
using Streaming.Core.Schema;

namespace Streaming.Core.Buffers;

/// <summary>
/// The values of one column of one partition buffer: non-null values packed in typed chunks, plus one bit per
/// row saying which rows have a value. Rows before the column first appeared are null without costing a bit.
/// </summary>
public abstract class ColumnBuffer
{
    private readonly ChunkedBitmap _present;

    private protected ColumnBuffer(ColumnDefinition definition, int startRow, ChunkAllocations? allocations)
    {
        Definition = definition;
        StartRow = startRow;
        Allocations = allocations;
        _present = new ChunkedBitmap(allocations);
    }

    /// <summary>Told of every chunk this column allocates (the owning buffer's; null when nobody counts).</summary>
    private protected ChunkAllocations? Allocations { get; }

    public ColumnDefinition Definition { get; }

    /// <summary>The first row this column can have a value in.</summary>
    public int StartRow { get; }

    /// <summary>How many rows have a (non-null) value.</summary>
    public int ValueCount { get; private set; }

    /// <summary>
    /// What the column holds on the heap: values, presence bits and the objects around them (this object's fields
    /// and its subclass's, about 48 bytes).
    /// </summary>
    public long AllocatedBytes => HeapOverhead.Instance(48) + _present.AllocatedBytes + ValueBytes;

    protected abstract long ValueBytes { get; }

    /// <summary>Fills 1/0 definition levels for rows [firstRow, firstRow + levels.Length); returns the values among them.</summary>
    public int FillDefinitionLevels(int firstRow, Span<int> levels) => _present.FillLevels(firstRow - StartRow, levels);

    /// <summary>Appends the value of <paramref name="field"/> to row <paramref name="row"/>, or returns false when the column's type cannot hold it.</summary>
    internal bool TryAppend(int row, in FieldEntry field, NormalizedEvent ev, ReadOnlySpan<byte> input)
    {
        if (!TryAppendValue(field, ev, input))
        {
            return false;
        }

        _present.Set(row - StartRow);
        ValueCount++;
        return true;
    }

    internal void AppendUtf8(int row, ReadOnlySpan<byte> utf8)
    {
        if (this is not StringColumnBuffer strings)
        {
            throw new InvalidOperationException($"column {Definition.Name} is not a string column");
        }

        strings.Add(utf8);
        _present.Set(row - StartRow);
        ValueCount++;
    }

    /// <summary>
    /// The same values in a column of <paramref name="target"/>'s type, after the schema changed the type (a
    /// pending BIGINT widened to DOUBLE, or another writer saved the column with another type first). Values the
    /// new type cannot hold are handed to <paramref name="rescue"/> as (row, JSON text) and left null.
    /// </summary>
    internal ColumnBuffer ConvertTo(ColumnDefinition target, Action<int, string> rescue)
    {
        var converted = Create(target, StartRow);
        var bit = 0;
        foreach (var value in EnumerateValues())
        {
            while (!_present.Get(bit))
            {
                bit++;
            }

            var row = StartRow + bit++;
            if (converted.TryAppendConverted(value))
            {
                converted._present.Set(row - StartRow);
                converted.ValueCount++;
            }
            else
            {
                rescue(row, ToJson(value));
            }
        }

        return converted;
    }

    /// <summary>The non-null values in row order: long (BIGINT, TIMESTAMP ms), double, bool or string.</summary>
    private protected abstract IEnumerable<object> EnumerateValues();

    private protected abstract bool TryAppendConverted(object value);

    private static string ToJson(object value) => value switch
    {
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => Diagnostics.JsonText.Quote(s),
        _ => throw new InvalidOperationException(value.GetType().Name),
    };

    private protected abstract bool TryAppendValue(in FieldEntry field, NormalizedEvent ev, ReadOnlySpan<byte> input);

    public static ColumnBuffer Create(ColumnDefinition definition, int startRow) => Create(definition, startRow, null);

    internal static ColumnBuffer Create(ColumnDefinition definition, int startRow, ChunkAllocations? allocations) => definition.Type switch
    {
        ColumnType.String => new StringColumnBuffer(definition, startRow, allocations),
        ColumnType.Int64 => new Int64ColumnBuffer(definition, startRow, allocations),
        ColumnType.Double => new DoubleColumnBuffer(definition, startRow, allocations),
        ColumnType.Boolean => new BooleanColumnBuffer(definition, startRow, allocations),
        ColumnType.Timestamp => new TimestampColumnBuffer(definition, startRow, allocations),
        _ => throw new ArgumentOutOfRangeException(nameof(definition)),
    };

    /// <summary>The column type a first value of this kind creates (null: the kind never creates a column).</summary>
    internal static ColumnType? TypeFor(ValueKind kind) => kind switch
    {
        ValueKind.String or ValueKind.JsonText => ColumnType.String,
        ValueKind.Int64 => ColumnType.Int64,
        ValueKind.Double => ColumnType.Double,
        ValueKind.Boolean => ColumnType.Boolean,
        ValueKind.Timestamp => ColumnType.Timestamp,
        _ => null,
    };
}
