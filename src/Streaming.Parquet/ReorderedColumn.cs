using System.Buffers;
using Parquet;
using Parquet.Schema;
using Streaming.Core.Buffers;

namespace Streaming.Parquet;

/// <summary>
/// Writes one column of one row group with its rows taken in a given order (<see cref="EventTimeOrder"/>) instead
/// of arrival order. A column holds only its non-null values, packed; a row's value is found by its rank among the
/// rows that have one. Everything is gathered into pooled arrays for the one call to Parquet.Net.
/// </summary>
internal static class ReorderedColumn
{
    /// <param name="rowCount">The buffer's rows (the column may start later or end earlier).</param>
    /// <param name="rows">The rows of this row group, in write order.</param>
    public static async Task WriteAsync(ParquetRowGroupWriter group, DataField field, ColumnBuffer column, int rowCount, ReadOnlyMemory<int> rows, CancellationToken ct)
    {
        var ranks = ArrayPool<int>.Shared.Rent(rowCount);
        var levels = ArrayPool<int>.Shared.Rent(Math.Max(1, rows.Length));
        var picks = ArrayPool<int>.Shared.Rent(Math.Max(1, rows.Length));
        try
        {
            // Rank of each row's value among the column's packed values, -1 for a null.
            column.FillDefinitionLevels(0, ranks.AsSpan(0, rowCount));
            for (int row = 0, rank = 0; row < rowCount; row++)
            {
                ranks[row] = ranks[row] != 0 ? rank++ : -1;
            }

            var count = 0;
            var order = rows.Span;
            for (var i = 0; i < order.Length; i++)
            {
                var rank = ranks[order[i]];
                levels[i] = rank >= 0 ? 1 : 0;
                if (rank >= 0)
                {
                    picks[count++] = rank;
                }
            }

            var defs = levels.AsMemory(0, rows.Length);
            var values = picks.AsMemory(0, count);
            switch (column)
            {
                case StringColumnBuffer s:
                    await WriteStringsAsync(group, field, s, defs, values, ct).ConfigureAwait(false);
                    break;
                case Int64ColumnBuffer l:
                    await WritePrimitiveAsync(group, field, l, defs, values, ct).ConfigureAwait(false);
                    break;
                case DoubleColumnBuffer d:
                    await WritePrimitiveAsync(group, field, d, defs, values, ct).ConfigureAwait(false);
                    break;
                case BooleanColumnBuffer b:
                    await WritePrimitiveAsync(group, field, b, defs, values, ct).ConfigureAwait(false);
                    break;
                case TimestampColumnBuffer t:
                    await WriteTimestampsAsync(group, field, t, defs, values, ct).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidOperationException($"unexpected column buffer {column.GetType().Name}");
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ranks);
            ArrayPool<int>.Shared.Return(levels);
            ArrayPool<int>.Shared.Return(picks);
        }
    }

    private static T[] Gather<T>(PrimitiveColumnBuffer<T> column, ReadOnlySpan<int> picks)
        where T : unmanaged
    {
        var all = ArrayPool<T>.Shared.Rent(Math.Max(1, column.ValueCount));
        var gathered = ArrayPool<T>.Shared.Rent(Math.Max(1, picks.Length));
        try
        {
            column.CopyValues(0, all.AsSpan(0, column.ValueCount));
            for (var i = 0; i < picks.Length; i++)
            {
                gathered[i] = all[picks[i]];
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(all);
        }

        return gathered;
    }

    private static async Task WritePrimitiveAsync<T>(ParquetRowGroupWriter group, DataField field, PrimitiveColumnBuffer<T> column, ReadOnlyMemory<int> levels, ReadOnlyMemory<int> picks, CancellationToken ct)
        where T : unmanaged
    {
        var values = Gather(column, picks.Span);
        try
        {
            await group.WriteAllPartsAsync<T>(field, values.AsMemory(0, picks.Length), levels, null, ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(values);
        }
    }

    private static async Task WriteTimestampsAsync(ParquetRowGroupWriter group, DataField field, TimestampColumnBuffer column, ReadOnlyMemory<int> levels, ReadOnlyMemory<int> picks, CancellationToken ct)
    {
        var ms = Gather(column, picks.Span);
        var values = ArrayPool<DateTime>.Shared.Rent(Math.Max(1, picks.Length));
        try
        {
            for (var i = 0; i < picks.Length; i++)
            {
                values[i] = new DateTime(DateTime.UnixEpoch.Ticks + (ms[i] * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
            }

            await group.WriteAllPartsAsync<DateTime>(field, values.AsMemory(0, picks.Length), levels, null, ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ms);
            ArrayPool<DateTime>.Shared.Return(values);
        }
    }

    private static async Task WriteStringsAsync(ParquetRowGroupWriter group, DataField field, StringColumnBuffer column, ReadOnlyMemory<int> levels, ReadOnlyMemory<int> picks, CancellationToken ct)
    {
        var valueCount = column.ValueCount;
        var count = picks.Length;
        var allLengths = ArrayPool<int>.Shared.Rent(Math.Max(1, valueCount));
        var locations = ArrayPool<long>.Shared.Rent(Math.Max(1, valueCount));
        var lengths = ArrayPool<int>.Shared.Rent(Math.Max(1, count));
        var values = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(Math.Max(1, count));
        byte[]? utf8 = null;
        char[]? chars = null;
        try
        {
            column.CopyLengths(0, allLengths.AsSpan(0, valueCount));
            column.CopyLocations(allLengths.AsSpan(0, valueCount), locations.AsSpan(0, valueCount));
            var order = picks.Span;
            long total = 0;
            for (var i = 0; i < count; i++)
            {
                lengths[i] = allLengths[order[i]];
                total += lengths[i];
            }

            // The values' bytes back to back in write order, then widened to UTF-16 in one run like the in-order path.
            utf8 = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, total));
            var at = 0;
            for (var i = 0; i < count; i++)
            {
                column.ValueAt(locations[order[i]], lengths[i]).CopyTo(utf8.AsSpan(at));
                at += lengths[i];
            }

            chars = ArrayPool<char>.Shared.Rent((int)Math.Max(1, total));
            var used = 0;
            Utf16.Widen(utf8.AsSpan(0, at), lengths.AsSpan(0, count), chars, ref used, values.AsSpan(0, count));
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(field, values.AsMemory(0, count), levels, null, ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(allLengths);
            ArrayPool<long>.Shared.Return(locations);
            ArrayPool<int>.Shared.Return(lengths);
            ArrayPool<ReadOnlyMemory<char>>.Shared.Return(values, clearArray: true);
            if (utf8 is not null)
            {
                ArrayPool<byte>.Shared.Return(utf8);
            }

            if (chars is not null)
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
    }
}
