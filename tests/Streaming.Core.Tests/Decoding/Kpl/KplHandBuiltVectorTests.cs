using System.Text;
using Streaming.Core.Decoding.Kpl;

namespace Streaming.Core.Tests.Decoding.Kpl;

/// <summary>The decoder against aggregates written byte by byte here, not by <see cref="KplAggregator"/>.</summary>
public sealed class KplHandBuiltVectorTests
{
    private static List<KplUserRecord> Deaggregate(byte[] record)
    {
        var output = new List<KplUserRecord>();
        Assert.True(KplAggregate.TryDeaggregate(record, output), "expected an aggregated record");
        return output;
    }

    [Fact]
    public void A_literal_aggregate_of_two_records_decodes_field_by_field()
    {
        // AggregatedRecord {
        //   partition_key_table: "pk-a", "ключ"
        //   explicit_hash_key_table: "12345"
        //   records: { partition_key_index: 0, data: "abc" }
        //   records: { partition_key_index: 1, explicit_hash_key_index: 0, data: "", tags: { key: "k", value: "v" }, tags: { key: "only" } }
        // }
        byte[] protobuf =
        [
            0x0A, 0x04, (byte)'p', (byte)'k', (byte)'-', (byte)'a',
            0x0A, 0x08, 0xD0, 0xBA, 0xD0, 0xBB, 0xD1, 0x8E, 0xD1, 0x87,
            0x12, 0x05, (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5',
            0x1A, 0x07, 0x08, 0x00, 0x1A, 0x03, (byte)'a', (byte)'b', (byte)'c',
            0x1A, 0x16, 0x08, 0x01, 0x10, 0x00, 0x1A, 0x00,
            0x22, 0x06, 0x0A, 0x01, (byte)'k', 0x12, 0x01, (byte)'v',
            0x22, 0x06, 0x0A, 0x04, (byte)'o', (byte)'n', (byte)'l', (byte)'y',
        ];

        var records = Deaggregate(ProtoBytes.Seal(protobuf));

        Assert.Equal(2, records.Count);
        Assert.Equal("abc"u8.ToArray(), records[0].Data.ToArray());
        Assert.Equal("pk-a", records[0].PartitionKey);
        Assert.Null(records[0].ExplicitHashKey);
        Assert.Equal(0, records[0].SubSequenceNumber);
        Assert.Empty(records[0].Tags);
        Assert.Empty(records[1].Data.ToArray());
        Assert.Equal("ключ", records[1].PartitionKey);
        Assert.Equal("12345", records[1].ExplicitHashKey);
        Assert.Equal(1, records[1].SubSequenceNumber);
        Assert.Equal([new KplTag("k", "v"), new KplTag("only", null)], records[1].Tags);
    }

    [Fact]
    public void Tables_after_the_records_multi_byte_varints_and_unknown_fields_are_read_as_protobuf_allows()
    {
        var data = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        var protobuf = new ProtoBytes()
            .VarintField(15, 7) // unknown varint field
            .MessageField(3, new ProtoBytes().BytesField(3, data).VarintField(1, 300).Raw(0x2D, 1, 2, 3, 4)) // data before the index; unknown fixed32 field 5
            .Raw(0x49, 1, 2, 3, 4, 5, 6, 7, 8); // unknown fixed64 field 9
        for (var i = 0; i <= 300; i++)
        {
            protobuf.StringField(1, $"key-{i}");
        }

        var bytes = protobuf.ToArray();
        Assert.Equal([0xAC, 0x02], ProtoBytes.Varint(300));
        Assert.Equal([0xC8, 0x01], ProtoBytes.Varint(200));

        var record = Assert.Single(Deaggregate(ProtoBytes.Seal(bytes)));

        Assert.Equal("key-300", record.PartitionKey);
        Assert.Equal(data, record.Data.ToArray());
        Assert.Equal(0, record.SubSequenceNumber);
    }

    [Fact]
    public void A_record_inside_a_larger_buffer_is_read_from_its_own_offset()
    {
        var sealedRecord = ProtoBytes.Seal(new ProtoBytes()
            .StringField(1, "user-1")
            .MessageField(3, new ProtoBytes().VarintField(1, 0).StringField(3, "{\"id\":1}"))
            .MessageField(3, new ProtoBytes().VarintField(1, 0).StringField(3, "{\"id\":2}"))
            .ToArray());
        var buffer = new byte[sealedRecord.Length + 20];
        Array.Fill(buffer, (byte)0xFF);
        sealedRecord.CopyTo(buffer, 7);

        var records = Deaggregate(buffer.AsMemory(7, sealedRecord.Length).ToArray());
        var fromSlice = new List<KplUserRecord>();
        Assert.True(KplAggregate.TryDeaggregate(buffer.AsMemory(7, sealedRecord.Length), fromSlice));

        Assert.Equal(["{\"id\":1}", "{\"id\":2}"], fromSlice.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.Equal(records.Select(r => r.Data.ToArray()), fromSlice.Select(r => r.Data.ToArray()));
        Assert.Equal([0L, 1L], fromSlice.Select(r => r.SubSequenceNumber));
    }

    [Fact]
    public void What_the_aggregator_writes_is_byte_for_byte_the_hand_written_encoding()
    {
        var aggregator = new KplAggregator();
        Assert.Equal(KplAddResult.Added, aggregator.TryAdd("abc"u8.ToArray(), "pk-a"));
        Assert.Equal(KplAddResult.Added, aggregator.TryAdd("de"u8.ToArray(), "pk-b", "42", [new KplTag("t", "v")]));
        Assert.Equal(KplAddResult.Added, aggregator.TryAdd(Array.Empty<byte>(), "pk-a"));

        var aggregate = aggregator.Flush()!;

        var expected = ProtoBytes.Seal(new ProtoBytes()
            .StringField(1, "pk-a")
            .StringField(1, "pk-b")
            .StringField(2, "42")
            .MessageField(3, new ProtoBytes().VarintField(1, 0).StringField(3, "abc"))
            .MessageField(3, new ProtoBytes().VarintField(1, 1).VarintField(2, 0).StringField(3, "de")
                .MessageField(4, new ProtoBytes().StringField(1, "t").StringField(2, "v")))
            .MessageField(3, new ProtoBytes().VarintField(1, 0).BytesField(3, []))
            .ToArray());
        Assert.Equal(expected, aggregate.Data.ToArray());
        Assert.Equal("pk-a", aggregate.PartitionKey);
        Assert.Null(aggregate.ExplicitHashKey);
        Assert.Equal(3, aggregate.UserRecordCount);
    }
}
