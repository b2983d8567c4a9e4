using System.Globalization;
using System.Text;
using Streaming.Core.Configuration;
using Streaming.Core.Lake;
using Streaming.Core.Schema;
using Streaming.Core.Tests.Support;
using Xunit.Abstractions;

namespace Streaming.Core.Tests.Buffers;

/// <summary>
/// The memory budget is only as good as the count behind it: what the router's account says its buffers hold must
/// be what appending really took from the heap, for a flood of small partitions (where the objects around the
/// values are most of it) as for a few busy ones (where the chunks are). The heap is measured after full
/// collections, so this class runs alone (<see cref="HeapMeasurementCollection"/>).
/// </summary>
[Collection(HeapMeasurementCollection.Name)]
public sealed class BufferAccountingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(60, 48, 12_000)] // 2,880 (table, hour) buffers of about four rows: the burst of bench/memory.sh
    [InlineData(60, 1, 12_000)] // 60 buffers of about 200 rows
    [InlineData(3, 1, 20_000)] // 3 buffers of thousands of rows
    public void The_account_holds_what_appending_took_from_the_heap(int types, int hours, int events)
    {
        var lines = Burst(types, hours, events);
        var positions = Enumerable.Range(0, lines.Count)
            .Select(i => SourcePosition.InShard("shard-0", (100_000 + i).ToString(CultureInfo.InvariantCulture), 0, 0))
            .ToList();
        var router = new LakeRouter(new LakeOptions { MaxOpenPartitions = 100_000 }, new SchemaRegistry(new InMemoryLakeStore()));

        // Every table's schema and first buffers exist before the measured part, as in a running worker.
        const int Warm = 500;
        for (var i = 0; i < Warm; i++)
        {
            router.Append(lines[i], positions[i], 0);
        }

        var buffersBefore = router.OpenPartitions;
        var countedBefore = router.Memory.Bytes;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = Warm; i < lines.Count; i++)
        {
            router.Append(lines[i], positions[i], 0);
        }

        var held = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        var counted = router.Memory.Bytes - countedBefore;
        GC.KeepAlive(router);
        GC.KeepAlive(lines);

        // The figures docs/memory.md quotes (the first case: about 16 KiB a buffer), printed with
        // `dotnet test --filter BufferAccountingTests --logger "console;verbosity=detailed"`.
        var buffers = router.OpenPartitions - buffersBefore;
        output.WriteLine($"{types} types x {hours} hours: {buffers:N0} new buffers, heap +{held:N0} bytes, account +{counted:N0}"
            + (buffers > 0 ? $" ({held / buffers:N0} and {counted / buffers:N0} bytes a new buffer)" : string.Empty));

        Assert.False(router.FlushPending, "nothing may have been written early: the count would then be of less");
        Assert.InRange(counted, held * 17 / 20, held * 5 / 4);
    }

    /// <summary>Events like bench/memory.sh's: types with 3 to 9 params of mixed kinds, spread over hours.</summary>
    private static List<byte[]> Burst(int types, int hours, int events)
    {
        var random = new Random(7);
        var start = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var lines = new List<byte[]>(events);
        for (var i = 0; i < events; i++)
        {
            var t = i % types;
            var h = i / types % hours;
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"{{\"id\":\"e-{i}\",\"date\":\"{start.AddHours(h).AddMinutes(i % 60):yyyy-MM-ddTHH:mm:00Z}\",");
            sb.Append(CultureInfo.InvariantCulture, $"\"type\":\"burst_type_{t}\",\"user_id\":{i % 997},\"locale\":\"ja\",\"country_code\":\"JP\",\"params\":{{");
            for (var k = 0; k < (t % 7) + 3; k++)
            {
                sb.Append(k > 0 ? "," : string.Empty).Append(CultureInfo.InvariantCulture, $"\"f{k}\":");
                _ = ((k + t) % 4) switch
                {
                    0 => sb.Append(random.Next(1_000_000)),
                    1 => sb.Append(random.NextDouble().ToString("R", CultureInfo.InvariantCulture)),
                    2 => sb.Append('"').Append('v', random.Next(5, 40)).Append('"'),
                    _ => sb.Append("true"),
                };
            }

            lines.Add(Encoding.UTF8.GetBytes(sb.Append("}}").ToString()));
        }

        return lines;
    }
}

/// <summary>Tests that measure the whole heap: run with no other test at the same time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurementCollection
{
    public const string Name = "Heap measurement";
}
