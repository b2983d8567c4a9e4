using System.Buffers;
using Parquet;
using Parquet.Schema;
using Streaming.Core.Buffers;
using Streaming.Core.Configuration;
using Streaming.Core.Events;
using Streaming.Core.Lake;
using Streaming.Core.Schema;

namespace Streaming.Parquet;

/// <summary>
/// Writes a partition buffer as Parquet with Parquet.Net: every column optional, timestamps as INT64
/// milliseconds adjusted to UTC (what Athena reads; Parquet.Net's default INT96 is not), strings as UTF-8,
/// the configured compression, and one row group per <see cref="LakeOptions.RowGroupRows"/> rows, rows in
/// event-time order (<see cref="EventTimeOrder"/>). Values are copied out of the buffer one column of one row
/// group at a time, so encoding needs little extra memory.
/// </summary>
public sealed class ParquetFileWriter : IColumnarFileWriter
{
    private readonly LakeOptions _options;

    public ParquetFileWriter(LakeOptions options)
    {
        _options = options;
    }

    private ParquetOptions CreateParquetOptions(IEnumerable<ColumnDefinition> columns)
    {
        var options = new ParquetOptions
        {
            CompressionMethod = _options.Compression switch
            {
                ParquetCompression.Snappy => CompressionMethod.Snappy,
                ParquetCompression.Zstd => CompressionMethod.Zstd,
                ParquetCompression.Gzip => CompressionMethod.Gzip,
                _ => CompressionMethod.None,
            },
            CompressionLevel = _options.CompressionLevel switch
            {
                ParquetCompressionLevel.Optimal => System.IO.Compression.CompressionLevel.Optimal,
                ParquetCompressionLevel.Smallest => System.IO.Compression.CompressionLevel.SmallestSize,
                _ => System.IO.Compression.CompressionLevel.Fastest,
            },
            // Dictionary-encode a string column unless more than half of its values are distinct; a sample
            // of the first values lets unique columns (ids) skip the full scan.
            DictionaryEncodingThreshold = 0.5,
            DictionaryEncodingSampleSize = 4096,
            // Parquet.Net keeps pooled buffers for reuse; a long-running writer should not hoard them.
            MaximumSmallPoolFreeBytes = 4 * 1024 * 1024,
            MaximumLargePoolFreeBytes = 16 * 1024 * 1024,
        };
        foreach (var column in columns.Where(c => c.Type == ColumnType.String))
        {
            options.ColumnEncodingHints[column.Name] = EncodingHint.Dictionary;
        }

        // BIGINT values as differences from their neighbours, bit-packed: smaller than PLAIN under any codec here
        // (docs/benchmarks.md, "Lake size"). Parquet.Net delta-encodes only int/long fields, not timestamps.
        if (_options.DeltaEncoding)
        {
            foreach (var column in columns.Where(c => c.Type == ColumnType.Int64))
            {
                options.ColumnEncodingHints[column.Name] = EncodingHint.DeltaBinaryPacked;
            }
        }

        return options;
    }

    public string Extension => ".parquet";

    public async Task WriteAsync(PartitionBuffer buffer, Stream output, CancellationToken cancellationToken)
    {
        var columns = InFileOrder(buffer.Columns);
        var fields = columns.Select(c => CreateField(c.Definition)).ToArray();
        var schema = new ParquetSchema(fields);
        var options = CreateParquetOptions(columns.Select(c => c.Definition));
        await using var writer = await ParquetWriter.CreateAsync(schema, output, options, append: false, cancellationToken).ConfigureAwait(false);
        // Nothing that depends on when the file was written (such as the schema version current then): a file's
        // name carries a hash of its bytes, and a rerun or a resumed conversion must find the same name taken
        // even after the table's schema grew in between.
        writer.CustomMetadata = new Dictionary<string, string>
        {
            ["streaming.table"] = buffer.Key.Table,
        };

        var order = _options.SortByEventTime ? EventTimeOrder.Compute(buffer) : null;
        var cursors = new ColumnCursor[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            cursors[i] = new ColumnCursor(columns[i]);
        }

        var levels = ArrayPool<int>.Shared.Rent(Math.Min(_options.RowGroupRows, Math.Max(1, buffer.RowCount)));
        try
        {
            for (var first = 0; first < buffer.RowCount; first += _options.RowGroupRows)
            {
                var rows = Math.Min(_options.RowGroupRows, buffer.RowCount - first);
                using var group = writer.CreateRowGroup();
                for (var i = 0; i < columns.Count; i++)
                {
                    if (order is not null)
                    {
                        await ReorderedColumn.WriteAsync(group, fields[i], columns[i], buffer.RowCount, order.AsMemory(first, rows), cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    var defs = levels.AsMemory(0, rows);
                    var values = columns[i].FillDefinitionLevels(first, defs.Span);
                    await cursors[i].WriteAsync(group, fields[i], defs, values, cancellationToken).ConfigureAwait(false);
                }

                group.CompleteValidate();
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(levels);
        }
    }

    /// <summary>The event contract's fields first, in the contract's order.</summary>
    private static readonly string[] LeadingColumns = ["id", ColumnNames.Date, ColumnNames.Type, "user_id", "locale", "country_code"];

    /// <summary>
    /// The order of a file's columns: the contract's fields, then the others by name, then our own columns. Not the
    /// schema's order, which is the order in which writers sharing the schema first met the columns: with several
    /// inputs converted at once that depends on timing, and a file's bytes (hence its name) must not. Readers match
    /// Parquet columns by name (Athena by default, DuckDB with union_by_name).
    /// </summary>
    internal static List<ColumnBuffer> InFileOrder(IEnumerable<ColumnBuffer> columns) =>
        [.. columns.OrderBy(c => Rank(c.Definition.Name)).ThenBy(c => c.Definition.Name, StringComparer.Ordinal)];

    private static int Rank(string name)
    {
        var leading = Array.IndexOf(LeadingColumns, name);
        return leading >= 0 ? leading : name.StartsWith('_') ? LeadingColumns.Length + 1 : LeadingColumns.Length;
    }

    private static DataField CreateField(ColumnDefinition column) => column.Type switch
    {
        ColumnType.String => new DataField<string>(column.Name, true),
        ColumnType.Int64 => new DataField<long?>(column.Name),
        ColumnType.Double => new DataField<double?>(column.Name),
        ColumnType.Boolean => new DataField<bool?>(column.Name),
        ColumnType.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    /// <summary>Walks one column's packed values across row groups.</summary>
    private sealed class ColumnCursor
    {
        private readonly ColumnBuffer _column;
        private StringColumnBuffer.Reader _strings;
        private int _nextValue;

        public ColumnCursor(ColumnBuffer column)
        {
            _column = column;
            if (column is StringColumnBuffer s)
            {
                _strings = s.CreateReader();
            }
        }

        public async Task WriteAsync(ParquetRowGroupWriter group, DataField field, ReadOnlyMemory<int> levels, int count, CancellationToken ct)
        {
            var first = _nextValue;
            _nextValue += count;
            switch (_column)
            {
                case StringColumnBuffer s:
                    await WriteStringsAsync(group, field, s, levels, first, count, ct).ConfigureAwait(false);
                    break;
                case Int64ColumnBuffer l:
                    await WritePrimitiveAsync(group, field, l, levels, first, count, ct).ConfigureAwait(false);
                    break;
                case DoubleColumnBuffer d:
                    await WritePrimitiveAsync(group, field, d, levels, first, count, ct).ConfigureAwait(false);
                    break;
                case BooleanColumnBuffer b:
                    await WritePrimitiveAsync(group, field, b, levels, first, count, ct).ConfigureAwait(false);
                    break;
                case TimestampColumnBuffer t:
                    await WriteTimestampsAsync(group, field, t, levels, first, count, ct).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidOperationException($"unexpected column buffer {_column.GetType().Name}");
            }
        }

        private static async Task WritePrimitiveAsync<T>(ParquetRowGroupWriter group, DataField field, PrimitiveColumnBuffer<T> column, ReadOnlyMemory<int> levels, int first, int count, CancellationToken ct)
            where T : unmanaged
        {
            var values = ArrayPool<T>.Shared.Rent(Math.Max(1, count));
            try
            {
                column.CopyValues(first, values.AsSpan(0, count));
                await group.WriteAllPartsAsync<T>(field, values.AsMemory(0, count), levels, null, ct).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(values);
            }
        }

        private static async Task WriteTimestampsAsync(ParquetRowGroupWriter group, DataField field, TimestampColumnBuffer column, ReadOnlyMemory<int> levels, int first, int count, CancellationToken ct)
        {
            var ms = ArrayPool<long>.Shared.Rent(Math.Max(1, count));
            var values = ArrayPool<DateTime>.Shared.Rent(Math.Max(1, count));
            try
            {
                column.CopyValues(first, ms.AsSpan(0, count));
                for (var i = 0; i < count; i++)
                {
                    values[i] = new DateTime(DateTime.UnixEpoch.Ticks + (ms[i] * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
                }

                await group.WriteAllPartsAsync<DateTime>(field, values.AsMemory(0, count), levels, null, ct).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<long>.Shared.Return(ms);
                ArrayPool<DateTime>.Shared.Return(values);
            }
        }

        private async Task WriteStringsAsync(ParquetRowGroupWriter group, DataField field, StringColumnBuffer column, ReadOnlyMemory<int> levels, int first, int count, CancellationToken ct)
        {
            var lengths = ArrayPool<int>.Shared.Rent(Math.Max(1, count));
            var values = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(Math.Max(1, count));
            char[]? chars = null;
            try
            {
                column.CopyLengths(first, lengths.AsSpan(0, count));
                long total = 0;
                for (var i = 0; i < count; i++)
                {
                    total += lengths[i];
                }

                // UTF-16 never needs more code units than UTF-8 has bytes.
                chars = ArrayPool<char>.Shared.Rent((int)Math.Max(1, total));
                var used = 0;
                for (var i = 0; i < count;)
                {
                    // Values lie back to back in the buffer's chunks: each run within one chunk is widened at once.
                    var run = _strings.NextRun(lengths.AsSpan(i, count - i), out var taken);
                    Utf16.Widen(run, lengths.AsSpan(i, taken), chars, ref used, values.AsSpan(i, taken));
                    i += taken;
                }

                await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(field, values.AsMemory(0, count), levels, null, ct).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<int>.Shared.Return(lengths);
                ArrayPool<ReadOnlyMemory<char>>.Shared.Return(values, clearArray: true);
                if (chars is not null)
                {
                    ArrayPool<char>.Shared.Return(chars);
                }
            }
        }
    }
}
