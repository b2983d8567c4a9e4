using System.Text.Json.Nodes;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// The yardstick of the consumer tests, checked without a stream: the corpus lands the same whatever the order of
/// its lines (so a consumer's lake may be compared with it at all), and the comparison sees a value in the wrong column.
/// </summary>
public sealed class LakeDiffTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "streaming-e2e-diff", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task The_corpus_makes_the_same_lake_whatever_the_order_of_its_lines()
    {
        var batch = CorpusBatch.Create("order", 3000, seed: 11);
        var tail = CorpusBatch.Conflicts("order-tail", 80, seed: 12);
        var random = new Random(13);
        var shuffled = new CorpusBatch(Shuffle(random, batch.Events), Shuffle(random, batch.Hostile));
        var shuffledTail = new CorpusBatch(Shuffle(random, tail.Events), []);

        var inOrder = ReferenceLake.BuildAsync(Path.Combine(_root, "in-order"), batch, tail);
        var reordered = ReferenceLake.BuildAsync(Path.Combine(_root, "shuffled"), shuffled, shuffledTail);
        var (expected, actual) = (await inOrder, await reordered);

        var differences = LakeDiff.Compare(expected, actual);
        Assert.True(differences.Count == 0, string.Join("\n", differences));
        Assert.Equal(Corpus.Tables.Order(StringComparer.Ordinal), LakeDiff.Tables(expected));
        Assert.Equal(new LakeTotals(3080, batch.Hostile.Count), LakeDiff.Count(expected));
    }

    [Fact]
    public async Task Values_swapped_between_two_columns_of_one_event_are_reported_with_the_table_the_id_and_both_columns()
    {
        var batch = CorpusBatch.Create("swap", 400, seed: 21);
        var events = batch.Events.ToList();
        var victim = events.FindIndex(e => JsonNode.Parse(e)!["type"]!.GetValue<string>() == "payment" && JsonNode.Parse(e)!["params"] is JsonObject);
        var swapped = JsonNode.Parse(events[victim])!;
        var payment = swapped["params"]!;
        (payment["currency"], payment["card"]!["brand"]) = (payment["card"]!["brand"]!.DeepClone(), payment["currency"]!.DeepClone());
        events[victim] = swapped.ToJsonString();
        var id = swapped["id"]!.GetValue<string>();

        var expected = ReferenceLake.BuildAsync(Path.Combine(_root, "expected"), batch);
        var actual = ReferenceLake.BuildAsync(Path.Combine(_root, "actual"), new CorpusBatch(events, batch.Hostile.Skip(1).ToList()));
        var differences = LakeDiff.Compare(await expected, await actual);

        var rows = Assert.Single(differences, d => d.StartsWith("table payment:", StringComparison.Ordinal));
        Assert.Contains($"id \"{id}\"", rows, StringComparison.Ordinal);
        Assert.Contains("\n    currency: expected ", rows, StringComparison.Ordinal);
        Assert.Contains("\n    card_brand: expected ", rows, StringComparison.Ordinal);
        var rejected = Assert.Single(differences, d => d.StartsWith("rejected events:", StringComparison.Ordinal));
        Assert.Contains("this is not json (swap)", rejected, StringComparison.Ordinal);
        Assert.Equal(2, differences.Count);
    }

    private static List<T> Shuffle<T>(Random random, IReadOnlyList<T> items)
    {
        var copy = items.ToArray();
        random.Shuffle(copy);
        return [.. copy];
    }
}
