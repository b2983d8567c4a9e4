using System.Text;
using Streaming.Core.Buffers;

namespace Streaming.Core.Tests.Support;

/// <summary>Reads a partition buffer back as rows of (column, value), through the same APIs the Parquet adapter uses.</summary>
internal static class RowMaterializer
{
    public static List<Dictionary<string, object?>> Rows(PartitionBuffer buffer)
    {
        var rows = Enumerable.Range(0, buffer.RowCount).Select(_ => new Dictionary<string, object?>(StringComparer.Ordinal)).ToList();
        foreach (var column in buffer.Columns)
        {
            var levels = new int[buffer.RowCount];
            var count = column.FillDefinitionLevels(0, levels);
            var values = Values(column, count);
            var v = 0;
            for (var r = 0; r < buffer.RowCount; r++)
            {
                if (levels[r] == 1)
                {
                    rows[r][column.Definition.Name] = values[v++];
                }
            }
        }

        return rows;
    }

    private static object?[] Values(ColumnBuffer column, int count)
    {
        switch (column)
        {
            case StringColumnBuffer s:
                {
                    var lengths = new int[count];
                    s.CopyLengths(0, lengths);
                    var reader = s.CreateReader();
                    return lengths.Select(n => (object?)Encoding.UTF8.GetString(reader.Next(n))).ToArray();
                }

            case Int64ColumnBuffer l:
                {
                    var values = new long[count];
                    l.CopyValues(0, values);
                    return values.Select(x => (object?)x).ToArray();
                }

            case TimestampColumnBuffer t:
                {
                    var values = new long[count];
                    t.CopyValues(0, values);
                    return values.Select(x => (object?)DateTimeOffset.FromUnixTimeMilliseconds(x)).ToArray();
                }

            case DoubleColumnBuffer d:
                {
                    var values = new double[count];
                    d.CopyValues(0, values);
                    return values.Select(x => (object?)x).ToArray();
                }

            case BooleanColumnBuffer b:
                {
                    var values = new bool[count];
                    b.CopyValues(0, values);
                    return values.Select(x => (object?)x).ToArray();
                }

            default:
                throw new InvalidOperationException(column.GetType().Name);
        }
    }
}
