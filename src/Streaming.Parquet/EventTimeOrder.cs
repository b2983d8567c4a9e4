using System.Buffers;
using Streaming.Core.Buffers;
using Streaming.Core.Events;

namespace Streaming.Parquet;

/// <summary>
/// The order a file's rows are written in: by event time (<c>date</c>), ties in arrival order, rows without an
/// event time last. Sorted files give each row group a narrow min/max range of <c>date</c>, so engines skip
/// row groups a time filter excludes, and sorted timestamps compress better. The buffer itself is not reordered:
/// the order is a permutation the writer reads through, and it depends only on the buffer's content, so the same
/// input still gives the same bytes.
/// </summary>
internal static class EventTimeOrder
{
    /// <summary>The rows in write order, or null when arrival order already is that order (or there is no event time).</summary>
    public static int[]? Compute(PartitionBuffer buffer)
    {
        var rows = buffer.RowCount;
        if (rows < 2 || buffer.Columns.OfType<TimestampColumnBuffer>().FirstOrDefault(c => c.Definition.Name == ColumnNames.Date) is not { } date)
        {
            return null;
        }

        var keys = new long[rows];
        var levels = ArrayPool<int>.Shared.Rent(rows);
        try
        {
            var present = date.FillDefinitionLevels(0, levels.AsSpan(0, rows));
            date.CopyValues(0, keys.AsSpan(0, present));

            // Spread the packed values over their rows from the back, so no value is overwritten before it is read.
            var next = present - 1;
            var sorted = true;
            for (var row = rows - 1; row >= 0; row--)
            {
                keys[row] = levels[row] != 0 ? keys[next--] : long.MaxValue;
                sorted &= row == rows - 1 || keys[row] <= keys[row + 1];
            }

            if (sorted)
            {
                return null;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(levels);
        }

        var order = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            order[i] = i;
        }

        // Array.Sort is not stable; rows with equal keys are put back in arrival order afterwards (runs are short).
        Array.Sort(keys, order);
        for (var start = 0; start < rows;)
        {
            var end = start + 1;
            while (end < rows && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start);
            }

            start = end;
        }

        return order;
    }
}
