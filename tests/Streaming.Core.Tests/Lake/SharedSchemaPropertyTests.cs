using System.Globalization;
using System.Text;
using System.Text.Json;
using Streaming.Core.Configuration;
using Streaming.Core.Lake;
using Streaming.Core.Schema;
using Streaming.Core.Tests.Support;

namespace Streaming.Core.Tests.Lake;

/// <summary>
/// Several shards' routers on one schema registry, running at the same time on their own threads, must make
/// the same tables as one writer over all the events: every row, every column's value and type. Each router's
/// normaliser numbers column names in the order it meets them, so a cache keyed by those numbers on the shared
/// schema puts values into other columns; this is the test that sees it.
/// </summary>
public sealed class SharedSchemaPropertyTests
{
    private static readonly string[] Words = ["alpha", "日本語", "emoji 😀", "quote \\\" and \\\\", "é\\u00e9", "line\\nbreak", ""];

    private sealed record Field(string Path, int Kind);

    /// <summary>Events of a few types; each (type, field) keeps one JSON type, fields come and go, keys come in any order.</summary>
    private static List<string> Events(Random random, int count)
    {
        var types = Enumerable.Range(0, 1 + random.Next(4)).Select(t => $"type_{t}").ToArray();
        var fields = types.ToDictionary(
            t => t,
            t => Enumerable.Range(0, 2 + random.Next(10)).Select(f => new Field(random.Next(4) == 0 ? $"nested.f{f}" : $"f{f}", random.Next(4))).ToArray());
        var events = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var type = types[random.Next(types.Length)];
            var parts = new List<string>
            {
                $"\"id\":\"e{i}\"",
                $"\"type\":\"{type}\"",
                $"\"date\":\"2021-09-16T{random.Next(3):D2}:{random.Next(60):D2}:00Z\"",
                $"\"user_id\":{random.Next(100)}",
            };
            var present = fields[type].Where(_ => random.Next(3) > 0).ToList();
            var flat = present.Where(f => !f.Path.Contains('.', StringComparison.Ordinal)).Select(f => $"\"{f.Path}\":{Value(random, f.Kind)}").ToList();
            var nested = present.Where(f => f.Path.Contains('.', StringComparison.Ordinal)).Select(f => $"\"{f.Path[7..]}\":{Value(random, f.Kind)}").ToList();
            if (nested.Count > 0)
            {
                flat.Add($"\"nested\":{{{string.Join(",", Shuffle(random, nested))}}}");
            }

            if (flat.Count > 0)
            {
                parts.Add($"\"params\":{{{string.Join(",", Shuffle(random, flat))}}}");
            }

            events.Add("{" + string.Join(",", Shuffle(random, parts)) + "}");
        }

        return events;
    }

    private static string Value(Random random, int kind) => kind switch
    {
        0 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        1 => (random.Next(-1000, 1000) + 0.25).ToString(CultureInfo.InvariantCulture),
        2 => random.Next(2) == 0 ? "true" : "false",
        _ => $"\"{Words[random.Next(Words.Length)]}{random.Next(10)}\"",
    };

    private static List<string> Shuffle(Random random, List<string> items) => items.OrderBy(_ => random.Next()).ToList();

    [Fact]
    public async Task Any_interleaving_of_shards_through_routers_sharing_one_registry_gives_the_tables_of_one_writer()
    {
        for (var seed = 0; seed < 25; seed++)
        {
            var random = new Random(seed);
            var events = Events(random, 600);
            var expected = await OneWriterAsync(events);
            var actual = await ShardsAsync(events, shards: 2 + random.Next(4), random);
            Assert.True(expected.Rows.SequenceEqual(actual.Rows), $"seed {seed}: rows differ\n{Diff(expected.Rows, actual.Rows)}");
            Assert.Equal(expected.Schemas, actual.Schemas);
        }
    }

    private sealed record Tables(List<string> Rows, List<string> Schemas);

    private static LakeOptions Options() => new() { TargetFileSize = new ByteSize(4096) };

    private static async Task<Tables> OneWriterAsync(List<string> events)
    {
        var store = new InMemoryLakeStore();
        var files = new RecordingFileWriter();
        var writer = await LakeWriter.OpenAsync(store, files, Options());
        for (var i = 0; i < events.Count; i++)
        {
            writer.Append(Encoding.UTF8.GetBytes(events[i]), SourcePosition.Line("all", i + 1), 0);
            if (writer.FlushPending)
            {
                await writer.FlushDueAsync(CancellationToken.None);
            }
        }

        await writer.FlushAllAsync(FlushReason.EndOfInput, CancellationToken.None);
        return Collect(files, writer.Schemas);
    }

    /// <summary>Deals the events to shards (order kept within each), then runs one router per shard on its own thread.</summary>
    private static async Task<Tables> ShardsAsync(List<string> events, int shards, Random random)
    {
        var store = new InMemoryLakeStore();
        var files = new RecordingFileWriter();
        var schemas = new SchemaRegistry(store);
        var publisher = new LakePublisher(store, files, schemas);
        var dealt = Enumerable.Range(0, shards).Select(_ => new List<string>()).ToArray();
        foreach (var e in events)
        {
            dealt[random.Next(shards)].Add(e);
        }

        var seeds = Enumerable.Range(0, shards).Select(_ => random.Next()).ToArray();
        await Task.WhenAll(Enumerable.Range(0, shards).Select(s => Task.Run(async () =>
        {
            var pace = new Random(seeds[s]);
            var router = new LakeRouter(Options(), schemas);
            for (var i = 0; i < dealt[s].Count; i++)
            {
                router.Append(Encoding.UTF8.GetBytes(dealt[s][i]), SourcePosition.InShard($"shard-{s}", (1000 + i).ToString(CultureInfo.InvariantCulture), 0, 0), 0);
                if (router.FlushPending || pace.Next(50) == 0)
                {
                    await PublishAsync(publisher, router.FlushPending ? router.TakeDue() : router.TakeAll(FlushReason.Memory));
                }

                if (pace.Next(20) == 0)
                {
                    await Task.Yield();
                }
            }

            await PublishAsync(publisher, router.TakeAll(FlushReason.Shutdown));
        })));
        return Collect(files, schemas);
    }

    private static async Task PublishAsync(LakePublisher publisher, List<DueBuffer> due)
    {
        foreach (var d in due)
        {
            await publisher.PublishAsync(d, CancellationToken.None);
        }
    }

    /// <summary>Every row as canonical JSON (table, then its non-null columns by name with value and type), sorted; and every table's saved columns.</summary>
    private static Tables Collect(RecordingFileWriter files, SchemaRegistry schemas)
    {
        var rows = files.Files
            .SelectMany(f => f.Rows.Select(r => JsonSerializer.Serialize(new SortedDictionary<string, string>(
                r.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => $"{kv.Value!.GetType().Name}:{Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}"),
                StringComparer.Ordinal)
            {
                ["~table"] = f.Key.Table,
            })))
            .Order(StringComparer.Ordinal)
            .ToList();
        var tables = schemas.Tables
            .OrderBy(t => t.Table, StringComparer.Ordinal)
            .Select(t => t.Table + ": " + string.Join(", ", t.SavedColumns.Select(c => $"{c.Name} {c.Type}").Order(StringComparer.Ordinal)))
            .ToList();
        return new Tables(rows, tables);
    }

    private static string Diff(List<string> expected, List<string> actual) =>
        "only in one writer:\n  " + string.Join("\n  ", expected.Except(actual).Take(3)) +
        "\nonly in the shards:\n  " + string.Join("\n  ", actual.Except(expected).Take(3));
}
