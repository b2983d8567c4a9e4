using Google.Protobuf;

namespace Streaming.Core.Decoding.Kpl;

/// <summary>
/// Reads an <c>AggregatedRecord</c> field by field. Unknown fields are skipped as protobuf prescribes; a known field
/// with the wrong wire type, or a missing required field, makes the record malformed. Indexes are checked only once
/// the whole message is read, because protobuf lets the key tables come after the records that use them.
/// </summary>
internal static class KplParser
{
    /// <summary>False when the message is well-formed protobuf but not a valid aggregate; throws when it is not protobuf.</summary>
    public static bool TryParse(ArraySegment<byte> body, List<KplUserRecord> output)
    {
        var buffer = body.Array!;
        var input = new CodedInputStream(buffer, body.Offset, body.Count);
        var partitionKeys = new List<string>();
        var hashKeys = new List<string>();
        var records = new List<ParsedRecord>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            var type = WireFormat.GetTagWireType(tag);
            switch (field)
            {
                case KplWire.PartitionKeyTableField when type == WireFormat.WireType.LengthDelimited:
                    partitionKeys.Add(input.ReadString());
                    break;
                case KplWire.ExplicitHashKeyTableField when type == WireFormat.WireType.LengthDelimited:
                    hashKeys.Add(input.ReadString());
                    break;
                case KplWire.RecordsField when type == WireFormat.WireType.LengthDelimited:
                    if (ReadRecord(ReadNested(input, buffer), buffer) is not { } record)
                    {
                        return false;
                    }

                    records.Add(record);
                    break;
                case KplWire.PartitionKeyTableField or KplWire.ExplicitHashKeyTableField or KplWire.RecordsField:
                    return false;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        if (records.Count == 0)
        {
            return false;
        }

        foreach (var record in records)
        {
            if (record.PartitionKeyIndex >= (ulong)partitionKeys.Count
                || (record.ExplicitHashKeyIndex is { } index && index >= (ulong)hashKeys.Count))
            {
                return false;
            }
        }

        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            output.Add(new KplUserRecord(
                record.Data,
                partitionKeys[(int)record.PartitionKeyIndex],
                record.ExplicitHashKeyIndex is { } index ? hashKeys[(int)index] : null,
                i,
                record.Tags));
        }

        return true;
    }

    /// <summary>
    /// A reader over the embedded message the last tag introduced, and moves <paramref name="input"/> past it. The
    /// skip is what detects a length running past the end; the new reader then sees exactly the message's bytes.
    /// </summary>
    private static CodedInputStream ReadNested(CodedInputStream input, byte[] buffer)
    {
        var start = input.Position;
        input.SkipLastField();
        var nested = new CodedInputStream(buffer, (int)start, (int)(input.Position - start));
        nested.ReadLength();
        return nested;
    }

    private static ParsedRecord? ReadRecord(CodedInputStream input, byte[] buffer)
    {
        ulong? partitionKeyIndex = null;
        ulong? hashKeyIndex = null;
        ReadOnlyMemory<byte>? data = null;
        List<KplTag>? tags = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var type = WireFormat.GetTagWireType(tag);
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case KplWire.PartitionKeyIndexField when type == WireFormat.WireType.Varint:
                    partitionKeyIndex = input.ReadUInt64();
                    break;
                case KplWire.ExplicitHashKeyIndexField when type == WireFormat.WireType.Varint:
                    hashKeyIndex = input.ReadUInt64();
                    break;
                case KplWire.DataField when type == WireFormat.WireType.LengthDelimited:
                    data = input.ReadBytes().Memory;
                    break;
                case KplWire.TagsField when type == WireFormat.WireType.LengthDelimited:
                    if (ReadKplTag(ReadNested(input, buffer)) is not { } parsed)
                    {
                        return null;
                    }

                    (tags ??= []).Add(parsed);
                    break;
                case KplWire.PartitionKeyIndexField or KplWire.ExplicitHashKeyIndexField or KplWire.DataField or KplWire.TagsField:
                    return null;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return partitionKeyIndex is { } pk && data is { } d
            ? new ParsedRecord(pk, hashKeyIndex, d, tags is null ? [] : tags)
            : null;
    }

    private static KplTag? ReadKplTag(CodedInputStream input)
    {
        string? key = null;
        string? value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var type = WireFormat.GetTagWireType(tag);
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case KplWire.KeyField when type == WireFormat.WireType.LengthDelimited:
                    key = input.ReadString();
                    break;
                case KplWire.ValueField when type == WireFormat.WireType.LengthDelimited:
                    value = input.ReadString();
                    break;
                case KplWire.KeyField or KplWire.ValueField:
                    return null;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return key is null ? null : new KplTag(key, value);
    }

    private sealed record ParsedRecord(ulong PartitionKeyIndex, ulong? ExplicitHashKeyIndex, ReadOnlyMemory<byte> Data, IReadOnlyList<KplTag> Tags);
}
