using Google.Protobuf;

namespace Streaming.Core.Decoding.Kpl;

/// <summary>Field numbers and tags of the KPL's protobuf messages (messages.proto of amazon-kinesis-producer).</summary>
internal static class KplWire
{
    // AggregatedRecord
    public const int PartitionKeyTableField = 1;
    public const int ExplicitHashKeyTableField = 2;
    public const int RecordsField = 3;

    // Record
    public const int PartitionKeyIndexField = 1;
    public const int ExplicitHashKeyIndexField = 2;
    public const int DataField = 3;
    public const int TagsField = 4;

    // Tag
    public const int KeyField = 1;
    public const int ValueField = 2;

    public static uint Tag(int field, WireFormat.WireType type) => WireFormat.MakeTag(field, type);
}
