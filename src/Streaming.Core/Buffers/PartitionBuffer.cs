using System.Buffers;
using System.Text.Json;
using Streaming.Core.Events;
using Streaming.Core.Lake;
using Streaming.Core.Schema;
namespace Streaming.Core.Buffers;

/// <summary>
/// The rows of one (table, hour) waiting to become a file, held column by column. Appending a row never
/// allocates per value; values that do not fit their column's type go to <c>_rescued</c> with their name.
/// </summary>
public sealed class PartitionBuffer
{
    private const long FixedOverheadBytes = 1024;
    private readonly ArrayBufferWriter<byte> _rescued = new(256);
    private ColumnBuffer?[] _columns = new ColumnBuffer?[16];

    // This buffer's column for each of the normaliser's column name ids: one array read per value instead of the
    // schema lookup and column checks, valid while the schema's types do not change.
    private ColumnBuffer?[] _byNameId = new ColumnBuffer?[64];
    private long _bytesAtLastCount;
    private readonly ChunkAllocations _allocations = new();
    private int _allocationsAtLastCount;
    private int _typeChangesSeen;

    private readonly ColumnIndexCache _indexes;

    internal PartitionBuffer(PartitionKey key, ColumnIndexCache indexes, SourcePosition first, long createdAtMs, long id = 0)
    {
        Id = id;
        Key = key;
        _indexes = indexes;
        Schema = indexes.Schema;
        _typeChangesSeen = Schema.TypeChanges;
        FirstPosition = first;
        LastPosition = first;
        CreatedAtMs = createdAtMs;
        LastAppendMs = createdAtMs;
    }

    public PartitionKey Key { get; }

    public TableSchema Schema { get; }

    public int RowCount { get; private set; }

    /// <summary>Where the first row came from; it names the file, so the same input gives the same names.</summary>
    public SourcePosition FirstPosition { get; }

    public SourcePosition LastPosition { get; private set; }

    public long CreatedAtMs { get; }

    /// <summary>The buffer's id among its router's buffers, in order of creation (a checkpoint watermark pins it).</summary>
    public long Id { get; }

    /// <summary>Rows when the router last looked at the clocks: a closed hour is written once it stops growing.</summary>
    internal int RowsAtLastCheck { get; set; }

    /// <summary>Set by the router when a clock (maximum age, hour close) makes the buffer due.</summary>
    internal FlushReason? DueByClock { get; set; }

    /// <summary>Set when a replay says this buffer must be written as soon as possible.</summary>
    public bool CutRequested { get; internal set; }

    /// <summary>Set while the buffer rebuilds a run an earlier owner meant to write: nothing but its cut may write it.</summary>
    public bool HoldUntilCut { get; internal set; }

    public long LastAppendMs { get; private set; }

    /// <summary>Values that went to <c>_rescued</c>.</summary>
    public long RescuedValues { get; private set; }

    /// <summary>Memory the buffer holds (values, the objects around them, its own arrays), recounted whenever it grew.</summary>
    public long AllocatedBytes { get; private set; }

    /// <summary>The columns that hold data, in schema order.</summary>
    public IEnumerable<ColumnBuffer> Columns
    {
        get
        {
            for (var i = 0; i < Math.Min(_columns.Length, Schema.Count); i++)
            {
                if (_columns[i] is { } c)
                {
                    yield return c;
                }
            }
        }
    }

    /// <summary>Appends one normalised event; returns how much <see cref="AllocatedBytes"/> changed.</summary>
    internal long Append(NormalizedEvent ev, ReadOnlySpan<byte> input, SourcePosition position, long nowMs, int maxColumns)
    {
        var row = RowCount;
        Utf8JsonWriter? rescue = null;
        foreach (ref readonly var field in ev.Fields)
        {
            if (field.RescueKey is { } key)
            {
                Rescue(ref rescue, key, ev.RawBytes(field, input));
                continue;
            }

            var column = (uint)field.ColumnId < (uint)_byNameId.Length && _typeChangesSeen == Schema.TypeChanges ? _byNameId[field.ColumnId] : null;
            if (column is null)
            {
                var index = _indexes.IndexOf(field.ColumnId, field.Column);
                if (index < 0
                    && (ColumnBuffer.TypeFor(field.Kind) is not { } type || (index = _indexes.GetOrAdd(field.ColumnId, field.Column, type, maxColumns)) < 0))
                {
                    Rescue(ref rescue, field.Column, ev.RawBytes(field, input));
                    continue;
                }

                column = Column(index, row);
                Remember(field.ColumnId, column);
            }

            if (!column.TryAppend(row, field, ev, input) && !TryWidenAndAppend(row, field, ev, input))
            {
                Rescue(ref rescue, field.Column, ev.RawBytes(field, input));
            }
        }

        if (rescue is not null)
        {
            rescue.WriteEndObject();
            rescue.Flush();
            var index = Schema.GetOrAdd(ColumnNames.Rescued, ColumnType.String);
            Column(index, row).AppendUtf8(row, _rescued.WrittenSpan);
            rescue.Dispose();
        }

        RowCount++;
        LastPosition = position;
        LastAppendMs = nowMs;
        // Recounted whenever a column allocated a chunk (a new column allocates its first ones), which is once every
        // many rows: memory is counted when it is taken, not some rows later.
        if (_allocations.Count != _allocationsAtLastCount || rescue is not null)
        {
            return Recount();
        }

        return 0;
    }

    /// <summary>A fractional value for a pending BIGINT column: widen it to DOUBLE and append again.</summary>
    private bool TryWidenAndAppend(int row, in FieldEntry field, NormalizedEvent ev, ReadOnlySpan<byte> input)
    {
        var index = _indexes.IndexOf(field.ColumnId, field.Column);
        return field.Kind == ValueKind.Double && Schema.TryWidenToDouble(index) && Column(index, row).TryAppend(row, field, ev, input);
    }

    private void Remember(int nameId, ColumnBuffer column)
    {
        if (nameId < 0)
        {
            return;
        }

        if (nameId >= _byNameId.Length)
        {
            Array.Resize(ref _byNameId, Math.Max(nameId + 1, _byNameId.Length * 2));
        }

        _byNameId[nameId] = column;
    }

    /// <summary>Recomputes <see cref="AllocatedBytes"/> and returns the change.</summary>
    internal long Recount()
    {
        // The buffer's own objects and arrays, and the router's entries for it: small, but a flood of partitions
        // has many of them.
        // A loop over the array, not Columns: an iterator per recount, and a recount per chunk allocated.
        long total = FixedOverheadBytes + (2L * HeapOverhead.Array) + ((long)(_columns.Length + _byNameId.Length) * HeapOverhead.Reference);
        foreach (var c in _columns)
        {
            total += c?.AllocatedBytes ?? 0;
        }

        AllocatedBytes = total;
        _allocationsAtLastCount = _allocations.Count;
        var delta = total - _bytesAtLastCount;
        _bytesAtLastCount = total;
        return delta;
    }

    private ColumnBuffer Column(int index, int row)
    {
        if (index >= _columns.Length)
        {
            Array.Resize(ref _columns, Math.Max(index + 1, _columns.Length * 2));
        }

        if (_typeChangesSeen != Schema.TypeChanges)
        {
            // Some buffer of this table widened a pending column, or another writer's types were adopted: follow.
            _typeChangesSeen = Schema.TypeChanges;
            AlignWithSchema();
        }

        var column = _columns[index];
        if (column is null)
        {
            column = ColumnBuffer.Create(Schema[index], row, _allocations);
            _columns[index] = column;
        }

        return column;
    }

    /// <summary>
    /// Brings every column to the schema's current types (called before the buffer is written, and when a
    /// pending column was widened). Values a new type cannot hold move into the row's <c>_rescued</c>.
    /// </summary>
    internal void AlignWithSchema()
    {
        // Columns may be replaced below: look them up again.
        Array.Clear(_byNameId);
        var rescued = new SortedDictionary<int, List<string>>();
        for (var i = 0; i < Math.Min(_columns.Length, Schema.Count); i++)
        {
            if (_columns[i] is { } c && c.Definition.Type != Schema[i].Type)
            {
                var name = c.Definition.Name;
                _columns[i] = c.ConvertTo(Schema[i], (row, json) =>
                {
                    if (!rescued.TryGetValue(row, out var list))
                    {
                        rescued[row] = list = [];
                    }

                    list.Add($"{Diagnostics.JsonText.Quote(name)}:{json}");
                    RescuedValues++;
                });
            }
        }

        if (rescued.Count > 0)
        {
            MergeRescued(rescued);
        }
    }

    private void MergeRescued(SortedDictionary<int, List<string>> added)
    {
        var index = Schema.GetOrAdd(ColumnNames.Rescued, ColumnType.String);
        if (index >= _columns.Length)
        {
            Array.Resize(ref _columns, Math.Max(index + 1, _columns.Length * 2));
        }

        var existing = new Dictionary<int, string>();
        if (_columns[index] is StringColumnBuffer old)
        {
            var levels = new int[RowCount];
            old.FillDefinitionLevels(0, levels);
            var lengths = new int[old.ValueCount];
            old.CopyLengths(0, lengths);
            var reader = old.CreateReader();
            var v = 0;
            for (var row = 0; row < RowCount; row++)
            {
                if (levels[row] == 1)
                {
                    existing[row] = System.Text.Encoding.UTF8.GetString(reader.Next(lengths[v++]));
                }
            }
        }

        var merged = (StringColumnBuffer)ColumnBuffer.Create(Schema[index], 0, _allocations);
        for (var row = 0; row < RowCount; row++)
        {
            var has = existing.TryGetValue(row, out var before);
            if (!added.TryGetValue(row, out var entries))
            {
                if (has)
                {
                    merged.AppendUtf8(row, System.Text.Encoding.UTF8.GetBytes(before!));
                }

                continue;
            }

            var body = string.Join(",", entries);
            var text = has ? string.Concat(before.AsSpan(0, before!.Length - 1), ",", body, "}") : "{" + body + "}";
            merged.AppendUtf8(row, System.Text.Encoding.UTF8.GetBytes(text));
        }

        // Not recounted here: the router accounts memory by the deltas Append returns, and the next recount
        // there picks this change up.
        _columns[index] = merged;
    }

    private void Rescue(ref Utf8JsonWriter? writer, string key, ReadOnlySpan<byte> rawJson)
    {
        if (writer is null)
        {
            _rescued.ResetWrittenCount();
            writer = new Utf8JsonWriter(_rescued, new JsonWriterOptions { SkipValidation = true });
            writer.WriteStartObject();
        }

        writer.WritePropertyName(key);
        writer.WriteRawValue(rawJson, skipInputValidation: true);
        RescuedValues++;
    }
}
