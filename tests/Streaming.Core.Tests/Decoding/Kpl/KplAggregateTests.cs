using System.Text;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Core.Tests.Decoding.Kpl;

public sealed class KplAggregateTests
{
    private static KplAggregatedRecord Aggregate(params (string Data, string PartitionKey, string? HashKey, KplTag[]? Tags)[] records)
    {
        var aggregator = new KplAggregator();
        foreach (var (data, partitionKey, hashKey, tags) in records)
        {
            Assert.Equal(KplAddResult.Added, aggregator.TryAdd(Encoding.UTF8.GetBytes(data), partitionKey, hashKey, tags));
        }

        return aggregator.Flush()!;
    }

    private static List<KplUserRecord> Deaggregate(ReadOnlyMemory<byte> data)
    {
        var output = new List<KplUserRecord>();
        Assert.True(KplAggregate.TryDeaggregate(data, output), "expected an aggregated record");
        return output;
    }

    private static bool IsAggregated(byte[] data) => KplAggregate.TryDeaggregate(data, []);

    /// <summary>Magic, protobuf, MD5 of the protobuf: a well-formed frame around any bytes.</summary>
    private static byte[] Reseal(ReadOnlySpan<byte> protobuf) => ProtoBytes.Seal(protobuf.ToArray());

    private static byte[] Protobuf(KplAggregatedRecord record) => record.Data.Span[4..^16].ToArray();

    [Fact]
    public void One_user_record_round_trips_with_its_partition_key_and_sub_sequence_zero()
    {
        var aggregate = Aggregate(("{\"id\":1}", "user-1", null, null));

        var record = Assert.Single(Deaggregate(aggregate.Data));

        Assert.Equal("{\"id\":1}", Encoding.UTF8.GetString(record.Data.Span));
        Assert.Equal("user-1", record.PartitionKey);
        Assert.Null(record.ExplicitHashKey);
        Assert.Equal(0, record.SubSequenceNumber);
        Assert.Empty(record.Tags);
        Assert.Equal("user-1", aggregate.PartitionKey);
        Assert.Equal(1, aggregate.UserRecordCount);
    }

    [Fact]
    public void Many_records_come_back_in_order_numbered_by_their_index()
    {
        var input = Enumerable.Range(0, 1000).Select(i => ($"{{\"id\":{i}}}", $"user-{i % 7}", (string?)null, (KplTag[]?)null)).ToArray();

        var records = Deaggregate(Aggregate(input).Data);

        Assert.Equal(input.Select(r => r.Item1), records.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.Equal(input.Select(r => r.Item2), records.Select(r => r.PartitionKey));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), records.Select(r => r.SubSequenceNumber));
    }

    [Fact]
    public void Repeated_keys_are_stored_once()
    {
        var aggregator = new KplAggregator();
        var longKey = new string('k', 200);
        for (var i = 0; i < 100; i++)
        {
            aggregator.TryAdd("x"u8.ToArray(), longKey, longKey);
        }

        var aggregate = aggregator.Flush()!;

        Assert.InRange(aggregate.Data.Length, 2 * 200, 2 * 200 + (100 * 10) + 40);
        Assert.All(Deaggregate(aggregate.Data), r => Assert.Equal(longKey, r.ExplicitHashKey));
    }

    [Fact]
    public void Empty_data_round_trips()
    {
        var records = Deaggregate(Aggregate(("", "a", null, null), ("", "b", null, null)).Data);

        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.True(r.Data.IsEmpty));
        Assert.Equal(["a", "b"], records.Select(r => r.PartitionKey));
    }

    [Fact]
    public void Unicode_partition_keys_round_trip()
    {
        string[] keys = ["clé-ユーザー-1", "ключ", "😀 emoji", "日本語", "a"];

        var records = Deaggregate(Aggregate([.. keys.Select(k => ($"{{\"k\":\"{k}\"}}", k, (string?)null, (KplTag[]?)null))]).Data);

        Assert.Equal(keys, records.Select(r => r.PartitionKey));
        Assert.Equal(keys.Select(k => $"{{\"k\":\"{k}\"}}"), records.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
    }

    [Fact]
    public void Explicit_hash_keys_and_tags_round_trip()
    {
        var max = "340282366920938463463374607431768211455";
        var aggregate = Aggregate(
            ("a", "p1", max, [new KplTag("source", "web"), new KplTag("flag")]),
            ("b", "p2", null, null),
            ("c", "p1", "0", [new KplTag("empty", "")]));

        var records = Deaggregate(aggregate.Data);

        Assert.Equal([max, null, "0"], records.Select(r => r.ExplicitHashKey));
        Assert.Equal([new KplTag("source", "web"), new KplTag("flag", null)], records[0].Tags);
        Assert.Empty(records[1].Tags);
        Assert.Equal([new KplTag("empty", "")], records[2].Tags);
        Assert.Equal(max, aggregate.ExplicitHashKey);
    }

    [Fact]
    public void Deaggregating_appends_to_what_the_list_already_holds()
    {
        var first = new KplUserRecord("x"u8.ToArray(), "earlier", null, 0, []);
        var output = new List<KplUserRecord> { first };

        Assert.True(KplAggregate.TryDeaggregate(Aggregate(("a", "k", null, null)).Data, output));

        Assert.Equal(2, output.Count);
        Assert.Same(first, output[0]);
        Assert.Equal("k", output[1].PartitionKey);
    }

    [Fact]
    public void A_digest_that_does_not_match_makes_an_ordinary_record()
    {
        var good = Aggregate(("a", "k", null, null), ("b", "k", null, null)).Data.ToArray();
        var badDigest = good.ToArray();
        badDigest[^1] ^= 0x01;
        var badBody = good.ToArray();
        badBody[10] ^= 0x20;
        var output = new List<KplUserRecord> { new("x"u8.ToArray(), "earlier", null, 0, []) };

        Assert.True(IsAggregated(good));
        Assert.False(KplAggregate.TryDeaggregate(badDigest, output));
        Assert.False(KplAggregate.TryDeaggregate(badBody, output));
        Assert.Single(output);
    }

    [Fact]
    public void Every_cut_of_an_aggregate_is_an_ordinary_record()
    {
        var good = Aggregate(("first", "k1", "7", [new KplTag("t", "v")]), ("second", "k2", null, null)).Data.ToArray();

        for (var length = 0; length < good.Length; length++)
        {
            Assert.False(IsAggregated(good[..length]), $"cut at {length} of {good.Length}");
        }
    }

    [Fact]
    public void Truncated_protobuf_under_a_valid_digest_is_an_ordinary_record_or_a_prefix_of_the_records()
    {
        var aggregate = Aggregate(("first", "k1", "7", [new KplTag("t", "v")]), ("second", "k2", null, null), ("third", "k1", null, null));
        var original = Deaggregate(aggregate.Data);
        var protobuf = Protobuf(aggregate);
        var accepted = 0;

        for (var length = 0; length < protobuf.Length; length++)
        {
            var output = new List<KplUserRecord>();
            if (KplAggregate.TryDeaggregate(Reseal(protobuf.AsSpan(0, length)), output))
            {
                // Protobuf has no end marker: a cut that falls between two records is a shorter, valid aggregate.
                accepted++;
                Assert.InRange(output.Count, 1, original.Count - 1);
                Assert.Equal(original.Take(output.Count).Select(r => (r.PartitionKey, Convert.ToHexString(r.Data.Span))), output.Select(r => (r.PartitionKey, Convert.ToHexString(r.Data.Span))));
            }
        }

        Assert.Equal(2, accepted);
    }

    [Fact]
    public void Magic_alone_garbage_and_plain_events_are_ordinary_records()
    {
        Assert.False(IsAggregated([]));
        Assert.False(IsAggregated([0xF3, 0x89, 0x9A, 0xC2]));
        Assert.False(IsAggregated([0xF3, 0x89, 0x9A, 0xC2, .. new byte[16]]));
        Assert.False(IsAggregated(Reseal([])));
        Assert.False(IsAggregated("{\"id\":1,\"type\":\"a\"}"u8.ToArray()));
        Assert.False(IsAggregated([0xF3, 0x89, 0x9A, 0xC3, .. Protobuf(Aggregate(("a", "k", null, null))), .. new byte[16]]));
        Assert.False(IsAggregated(Reseal([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])));
        Assert.False(IsAggregated(Reseal([0x00, 0x01, 0x02])));
        Assert.False(IsAggregated(Reseal(Encoding.UTF8.GetBytes("not protobuf at all, but sealed like one"))));
    }

    [Fact]
    public void A_frame_without_records_is_an_ordinary_record()
    {
        Assert.False(IsAggregated(Reseal(new ProtoBytes().StringField(1, "k").StringField(2, "1").ToArray())));
    }

    [Fact]
    public void A_key_index_outside_its_table_makes_an_ordinary_record()
    {
        var partitionKeyTooHigh = new ProtoBytes()
            .StringField(1, "k0")
            .MessageField(3, new ProtoBytes().VarintField(1, 0).StringField(3, "ok"))
            .MessageField(3, new ProtoBytes().VarintField(1, 1).StringField(3, "bad"));
        var hashKeyWithoutTable = new ProtoBytes()
            .StringField(1, "k0")
            .MessageField(3, new ProtoBytes().VarintField(1, 0).VarintField(2, 0).StringField(3, "bad"));
        var hugeIndex = new ProtoBytes()
            .StringField(1, "k0")
            .MessageField(3, new ProtoBytes().VarintField(1, ulong.MaxValue).StringField(3, "bad"));
        var output = new List<KplUserRecord>();

        Assert.False(KplAggregate.TryDeaggregate(Reseal(partitionKeyTooHigh.ToArray()), output));
        Assert.False(KplAggregate.TryDeaggregate(Reseal(hashKeyWithoutTable.ToArray()), output));
        Assert.False(KplAggregate.TryDeaggregate(Reseal(hugeIndex.ToArray()), output));
        Assert.Empty(output);
    }

    [Fact]
    public void Missing_required_fields_make_an_ordinary_record()
    {
        var noIndex = new ProtoBytes().StringField(1, "k").MessageField(3, new ProtoBytes().StringField(3, "data"));
        var noData = new ProtoBytes().StringField(1, "k").MessageField(3, new ProtoBytes().VarintField(1, 0));
        var tagWithoutKey = new ProtoBytes().StringField(1, "k")
            .MessageField(3, new ProtoBytes().VarintField(1, 0).StringField(3, "d").MessageField(4, new ProtoBytes().StringField(2, "v")));

        Assert.False(IsAggregated(Reseal(noIndex.ToArray())));
        Assert.False(IsAggregated(Reseal(noData.ToArray())));
        Assert.False(IsAggregated(Reseal(tagWithoutKey.ToArray())));
    }

    [Fact]
    public void Known_fields_with_the_wrong_wire_type_make_an_ordinary_record()
    {
        var tableAsVarint = new ProtoBytes().VarintField(1, 5).MessageField(3, new ProtoBytes().VarintField(1, 0).StringField(3, "d"));
        var indexAsBytes = new ProtoBytes().StringField(1, "k").MessageField(3, new ProtoBytes().StringField(1, "0").StringField(3, "d"));
        var dataAsVarint = new ProtoBytes().StringField(1, "k").MessageField(3, new ProtoBytes().VarintField(1, 0).VarintField(3, 1));

        Assert.False(IsAggregated(Reseal(tableAsVarint.ToArray())));
        Assert.False(IsAggregated(Reseal(indexAsBytes.ToArray())));
        Assert.False(IsAggregated(Reseal(dataAsVarint.ToArray())));
    }

    [Fact]
    public void A_key_that_is_not_UTF8_makes_an_ordinary_record()
    {
        var invalid = new ProtoBytes().BytesField(1, [0xFF, 0xFE]).MessageField(3, new ProtoBytes().VarintField(1, 0).StringField(3, "d"));

        Assert.False(IsAggregated(Reseal(invalid.ToArray())));
    }

    [Fact]
    public void A_record_length_past_the_end_of_the_message_makes_an_ordinary_record()
    {
        // records: length 0x7F but only 4 bytes follow; and a nested data length running past its record.
        var recordTooLong = new ProtoBytes().StringField(1, "k").Raw(0x1A, 0x7F, 0x08, 0x00, 0x1A, 0x00);
        var dataTooLong = new ProtoBytes().StringField(1, "k").Raw(0x1A, 0x04, 0x08, 0x00, 0x1A, 0x05).StringField(1, "padding");

        Assert.False(IsAggregated(Reseal(recordTooLong.ToArray())));
        Assert.False(IsAggregated(Reseal(dataTooLong.ToArray())));
    }

    [Fact]
    public void The_magic_check_alone_is_cheap_and_says_nothing_about_validity()
    {
        var frame = Reseal([0x00]);

        Assert.True(KplAggregate.HasMagic(frame));
        Assert.False(KplAggregate.HasMagic("{}"u8));
        Assert.False(IsAggregated(frame));
    }
}
