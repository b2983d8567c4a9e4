using CsCheck;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Core.Tests.Decoding.Kpl;

/// <summary>Deaggregating what the aggregator packed gives back exactly the user records, in order, in every aggregate.</summary>
public sealed class KplPropertyTests
{
    private const int MaxRecordBytes = 700;

    private static readonly string[] Keys = ["u", "user-1", "user-2", "clé", "ユーザー", "😀", "ключ", new string('k', 100)];

    private static readonly Gen<string> Key = Gen.OneOf(
        Gen.Int[0, Keys.Length - 1].Select(i => Keys[i]),
        Gen.String[Gen.Char.AlphaNumeric, 1, 20]);

    private static readonly Gen<KplTag> Tag = Gen.Select(Key, Key.Null(0.3), (k, v) => new KplTag(k, v));

    private static readonly Gen<Input> Record = Gen.Select(
        Gen.Byte.Array[0, 160],
        Key,
        Gen.Int[0, 200].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Null(0.6),
        Tag.Array[0, 2],
        (data, key, hashKey, tags) => new Input(data, key, hashKey, tags));

    [Fact]
    public void Aggregate_then_deaggregate_is_the_identity()
    {
        Record.Array[1, 40].Sample(inputs =>
        {
            var aggregator = new KplAggregator(MaxRecordBytes);
            var aggregates = new List<KplAggregatedRecord>();
            foreach (var input in inputs)
            {
                var result = aggregator.TryAdd(input.Data, input.PartitionKey, input.HashKey, input.Tags);
                if (result == KplAddResult.Full)
                {
                    aggregates.Add(aggregator.Flush()!);
                    result = aggregator.TryAdd(input.Data, input.PartitionKey, input.HashKey, input.Tags);
                }

                if (result != KplAddResult.Added)
                {
                    return false;
                }
            }

            aggregates.Add(aggregator.Flush()!);
            var output = new List<KplUserRecord>();
            foreach (var aggregate in aggregates)
            {
                var before = output.Count;
                if (aggregate.SizeBytes > MaxRecordBytes || !KplAggregate.TryDeaggregate(aggregate.Data, output))
                {
                    return false;
                }

                var subSequences = output.Skip(before).Select(r => r.SubSequenceNumber);
                if (!subSequences.SequenceEqual(Enumerable.Range(0, output.Count - before).Select(i => (long)i))
                    || aggregate.PartitionKey != output[before].PartitionKey)
                {
                    return false;
                }
            }

            return output.Count == inputs.Length && inputs.Zip(output).All(p =>
                p.First.Data.AsSpan().SequenceEqual(p.Second.Data.Span)
                && p.First.PartitionKey == p.Second.PartitionKey
                && p.First.HashKey == p.Second.ExplicitHashKey
                && p.First.Tags.SequenceEqual(p.Second.Tags));
        }, iter: 300);
    }

    [Fact]
    public void Flipping_any_bit_of_an_aggregate_makes_it_an_ordinary_record()
    {
        Gen.Select(Record.Array[1, 5], Gen.Int[0, int.MaxValue]).Sample((inputs, position) =>
        {
            var aggregator = new KplAggregator();
            foreach (var input in inputs)
            {
                aggregator.TryAdd(input.Data, input.PartitionKey, input.HashKey, input.Tags);
            }

            var data = aggregator.Flush()!.Data.ToArray();
            var bit = position % (data.Length * 8);
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            return !KplAggregate.TryDeaggregate(data, []);
        }, iter: 300);
    }

    private sealed record Input(byte[] Data, string PartitionKey, string? HashKey, KplTag[] Tags);
}
