using System.Globalization;
using System.Text;
using CsCheck;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Aws.Tests.Interop;

/// <summary>
/// The project's aggregator and deaggregator against the reference ones (aws-kinesis-agg, through codec.js), byte for
/// byte and without a stream, over random record sets.
/// </summary>
public sealed class KplReferenceCodecTests : IClassFixture<ReferenceCodecFixture>
{
    private const int Iterations = 300;

    private static readonly string[] Keys =
        ["u", "user-1", "clé", "ユーザー", "😀", "ключ", "007", "-1", "a \"quoted\" \\ key\n", new string('k', 256)];

    /// <summary>Keys the reference encodes correctly: no integer-like ones (see <see cref="ReferenceInputs"/>).</summary>
    private static readonly Gen<string> SafeKey = Gen.OneOf(
        Gen.Int[0, Keys.Length - 1].Select(i => Keys[i]),
        Gen.String[Gen.Char.AlphaNumeric, 1, 12].Where(k => !ReferenceInputs.IsIntegerLike(k)));

    /// <summary>Any key: the project's aggregator writes its tables in index order, so integer-like keys are fair game here.</summary>
    private static readonly Gen<string> AnyKey = Gen.OneOf(SafeKey, Gen.Int[0, 100_000].Select(i => i.ToString(CultureInfo.InvariantCulture)));

    private static readonly Gen<string> LargeHashKey = Gen.Int.Select(seed => ReferenceInputs.LargeHashKey(new Random(seed)));

    private static readonly Gen<string> AnyHashKey = Gen.OneOf(LargeHashKey, Gen.Int[0, 1_000].Select(i => i.ToString(CultureInfo.InvariantCulture)));

    private static readonly Gen<byte[]> Data = Gen.Frequency((9, Gen.Byte.Array[0, 300]), (1, Gen.Byte.Array[300, 5_000]));

    private static readonly Gen<KplTag> Tag = Gen.Select(SafeKey, SafeKey.Null(0.3), (k, v) => new KplTag(k, v));

    private static readonly Gen<(UserRecordInput Record, KplTag[] Tags)> OurRecord =
        Gen.Select(AnyKey, AnyHashKey.Null(0.6), Data, Tag.Array[0, 2], (key, hashKey, data, tags) => (new UserRecordInput(key, hashKey, data), tags));

    private static readonly Gen<UserRecordInput> ReferenceRecord =
        Gen.Select(SafeKey, LargeHashKey.Null(0.6), Data, (key, hashKey, data) => new UserRecordInput(key, hashKey, data));

    private readonly ReferenceCodec _reference;

    public KplReferenceCodecTests(ReferenceCodecFixture fixture)
    {
        _reference = fixture.Codec;
    }

    [Fact]
    public void Our_aggregates_pass_the_reference_checksums_and_give_back_every_user_record_in_order()
    {
        Gen.Select(OurRecord.Array[1, 60], Gen.Int[8_000, 64_000]).Sample((records, maxRecordBytes) =>
        {
            var aggregator = new KplAggregator(maxRecordBytes);
            var aggregates = new List<(KplAggregatedRecord Aggregate, List<UserRecordInput> Records)>();
            var open = new List<UserRecordInput>();
            foreach (var (record, tags) in records)
            {
                var added = aggregator.TryAdd(record.Data, record.PartitionKey, record.ExplicitHashKey, tags);
                if (added == KplAddResult.Full)
                {
                    aggregates.Add((aggregator.Flush()!, [.. open]));
                    open.Clear();
                    added = aggregator.TryAdd(record.Data, record.PartitionKey, record.ExplicitHashKey, tags);
                }

                Assert.Equal(KplAddResult.Added, added);
                open.Add(record);
            }

            aggregates.Add((aggregator.Flush()!, open));
            foreach (var (aggregate, expected) in aggregates)
            {
                var answer = _reference.Deaggregate(aggregate.Data);
                Assert.True(answer.Ok, $"reference deaggregator: {answer.Error}");
                var users = answer.Records!;
                Assert.Equal(Enumerable.Range(0, users.Count).Select(i => (long?)i), users.Select(u => u.SubSequenceNumber));

                // The reference reads an absent explicit_hash_key_index as protobuf's default 0, so a record without a hash
                // key reports the aggregate's first one when the table has any. The bytes hold none; that is the reader's doing.
                var firstHashKey = expected.Select(r => r.ExplicitHashKey).FirstOrDefault(h => h is not null);
                UserRecordAssert.Same(
                    [.. expected.Select(r => r with { ExplicitHashKey = r.ExplicitHashKey ?? firstHashKey })],
                    [.. users.Select(u => new UserRecordInput(u.PartitionKey, u.ExplicitHashKey, u.Data))]);
            }
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Reference_aggregates_deaggregate_to_every_user_record_in_order_with_sub_sequence_numbers_from_zero()
    {
        ReferenceRecord.Array[1, 60].Sample(records =>
        {
            var aggregate = Assert.Single(_reference.Aggregate(records));
            var users = new List<KplUserRecord>();

            Assert.True(KplAggregate.TryDeaggregate(aggregate.Data, users));
            Assert.Equal(Enumerable.Range(0, users.Count).Select(i => (long)i), users.Select(u => u.SubSequenceNumber));
            Assert.Equal(records[0].PartitionKey, aggregate.PartitionKey);
            Assert.Equal(records[0].ExplicitHashKey, aggregate.ExplicitHashKey);
            Assert.All(users, u => Assert.Empty(u.Tags));
            UserRecordAssert.Same(records, [.. users.Select(u => new UserRecordInput(u.PartitionKey, u.ExplicitHashKey, u.Data.ToArray()))]);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Ours_and_the_reference_encode_the_same_user_records_to_the_same_bytes()
    {
        ReferenceRecord.Array[1, 60].Sample(records =>
        {
            var reference = Assert.Single(_reference.Aggregate(records));
            var aggregator = new KplAggregator();
            Assert.All(records, r => Assert.Equal(KplAddResult.Added, aggregator.TryAdd(r.Data, r.PartitionKey, r.ExplicitHashKey)));
            var ours = aggregator.Flush()!;

            Assert.Equal(Convert.ToHexString(reference.Data), Convert.ToHexString(ours.Data.Span));
            Assert.Equal(reference.PartitionKey, ours.PartitionKey);
            Assert.Equal(reference.ExplicitHashKey, ours.ExplicitHashKey);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void A_reference_record_set_that_fills_several_aggregates_is_read_exactly_across_them()
    {
        var records = ReferenceInputs.Varied(seed: 11);

        var aggregates = _reference.Aggregate(records);

        Assert.InRange(aggregates.Count, 4, 10);
        var read = new List<UserRecordInput>();
        foreach (var aggregate in aggregates)
        {
            var users = new List<KplUserRecord>();
            Assert.True(KplAggregate.TryDeaggregate(aggregate.Data, users));
            var theirs = _reference.Deaggregate(aggregate.Data);
            Assert.True(theirs.Ok, theirs.Error);
            Assert.Equal(theirs.Records!.Select(u => u.PartitionKey), users.Select(u => u.PartitionKey));
            Assert.Equal(users[0].PartitionKey, aggregate.PartitionKey);
            read.AddRange(users.Select(u => new UserRecordInput(u.PartitionKey, u.ExplicitHashKey, u.Data.ToArray())));
        }

        UserRecordAssert.Same(records, read);
    }

    [Fact]
    public void Key_tables_past_127_entries_take_two_byte_indexes_that_both_sides_write_and_read_alike()
    {
        var random = new Random(5);
        var records = Enumerable.Range(0, 300)
            .Select(i => new UserRecordInput($"key-{i}", i % 2 == 0 ? ReferenceInputs.LargeHashKey(random) : null, Encoding.UTF8.GetBytes($"record {i}")))
            .ToList();
        var aggregator = new KplAggregator();
        Assert.All(records, r => Assert.Equal(KplAddResult.Added, aggregator.TryAdd(r.Data, r.PartitionKey, r.ExplicitHashKey)));
        var ours = aggregator.Flush()!;

        var reference = Assert.Single(_reference.Aggregate(records));
        var theirs = _reference.Deaggregate(ours.Data);
        var read = new List<KplUserRecord>();

        Assert.Equal(Convert.ToHexString(reference.Data), Convert.ToHexString(ours.Data.Span));
        Assert.True(KplAggregate.TryDeaggregate(reference.Data, read));
        UserRecordAssert.Same(records, [.. read.Select(u => new UserRecordInput(u.PartitionKey, u.ExplicitHashKey, u.Data.ToArray()))]);
        Assert.True(theirs.Ok, theirs.Error);
        Assert.Equal(records.Select(r => r.PartitionKey), theirs.Records!.Select(u => u.PartitionKey));
        Assert.Equal(records.Select(r => r.Data), theirs.Records!.Select(u => u.Data));
    }

    [Fact]
    public void The_reference_aggregator_swaps_integer_like_keys_between_records_and_both_readers_see_the_same_swap()
    {
        UserRecordInput[] records =
        [
            new("user-b", "340282366920938463463374607431768211455", "b"u8.ToArray()),
            new("42", "900", "42"u8.ToArray()),
            new("7", "12", "7"u8.ToArray()),
        ];

        var aggregate = Assert.Single(_reference.Aggregate(records));
        var ours = new List<KplUserRecord>();
        Assert.True(KplAggregate.TryDeaggregate(aggregate.Data, ours));
        var theirs = _reference.Deaggregate(aggregate.Data);

        // Tables written as Object.keys order ("7", "42", "user-b"; "12", "900", then the large key) while the records
        // kept the indexes of insertion order: the bytes say so, and both readers report what the bytes say.
        Assert.Equal(["7", "42", "user-b"], ours.Select(u => u.PartitionKey));
        Assert.Equal(["12", "900", "340282366920938463463374607431768211455"], ours.Select(u => u.ExplicitHashKey));
        Assert.True(theirs.Ok, theirs.Error);
        Assert.Equal(ours.Select(u => u.PartitionKey), theirs.Records!.Select(u => u.PartitionKey));
        Assert.Equal(ours.Select(u => u.ExplicitHashKey), theirs.Records!.Select(u => u.ExplicitHashKey));
    }

    [Fact]
    public void The_reference_counts_keys_in_UTF16_units_and_overfills_aggregates_that_ours_keep_within_1_MiB()
    {
        // 200 distinct keys of 256 CJK characters: 768 bytes each in UTF-8, 256 by the reference's count.
        var records = Enumerable.Range(0, 200)
            .Select(i => new UserRecordInput(new string((char)(0x65E5 + i), 256), null, Encoding.ASCII.GetBytes(new string('d', 10_000))))
            .ToList();

        var reference = _reference.Aggregate(records);
        var ours = new List<KplAggregatedRecord>();
        var aggregator = new KplAggregator();
        foreach (var record in records)
        {
            if (aggregator.TryAdd(record.Data, record.PartitionKey) == KplAddResult.Full)
            {
                ours.Add(aggregator.Flush()!);
                Assert.Equal(KplAddResult.Added, aggregator.TryAdd(record.Data, record.PartitionKey));
            }
        }

        ours.Add(aggregator.Flush()!);
        Assert.Contains(reference, a => a.Data.Length > KplAggregate.MaxRecordBytes);
        Assert.All(ours, a => Assert.InRange(a.SizeBytes, 1, KplAggregate.MaxRecordBytes));

        // An oversized aggregate is still read, should one arrive from a stream that allows larger records.
        var users = new List<KplUserRecord>();
        Assert.All(reference, a => Assert.True(KplAggregate.TryDeaggregate(a.Data, users)));
        Assert.Equal(records.Select(r => r.PartitionKey), users.Select(u => u.PartitionKey));
    }
}
