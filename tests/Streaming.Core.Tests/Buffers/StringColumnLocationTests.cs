using System.Text;
using Streaming.Core.Buffers;
using Streaming.Core.Schema;

namespace Streaming.Core.Tests.Buffers;

public sealed class StringColumnLocationTests
{
    [Fact]
    public void Located_values_read_back_out_of_order_across_chunks_empty_values_and_values_larger_than_a_chunk()
    {
        var column = new StringColumnBuffer(new ColumnDefinition("s", ColumnType.String, 1), 0);
        var random = new Random(3);
        var values = new List<string>();
        for (var i = 0; i < 5000; i++)
        {
            var value = i switch
            {
                17 => new string('x', 3 * 1024 * 1024),
                _ when i % 11 == 0 => string.Empty,
                _ => $"v{i}-{new string('é', random.Next(0, 40))}",
            };
            values.Add(value);
            column.AppendUtf8(i, Encoding.UTF8.GetBytes(value));
        }

        var lengths = new int[values.Count];
        var locations = new long[values.Count];
        column.CopyLengths(0, lengths);
        column.CopyLocations(lengths, locations);

        // Backwards, so no value is read where a sequential reader happens to stand.
        for (var i = values.Count - 1; i >= 0; i--)
        {
            Assert.Equal(values[i], Encoding.UTF8.GetString(column.ValueAt(locations[i], lengths[i])));
        }
    }
}
