using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;

namespace Streaming.Core.Decoding.Kpl;

/// <summary>
/// Packs user records into KPL aggregated records, as the Kinesis Producer Library does: partition keys and explicit
/// hash keys go into tables (each distinct key once), records point into them, and an aggregate is closed when the
/// next record would take it over <see cref="MaxRecordBytes"/> (data plus the aggregate's partition key). The size is
/// kept exactly as records are added, so a flushed aggregate never exceeds the limit.
/// </summary>
/// <remarks>
/// The aggregate is put with its first user record's partition key, so every user record lands on that key's shard.
/// A caller that mixes keys must group them by shard first (as the KPL does, and as <c>streaming produce</c> does),
/// or consumers that filter user records by their shard's hash range will drop some.
/// </remarks>
public sealed class KplAggregator
{
    private readonly List<PendingRecord> _records = [];
    private readonly Dictionary<string, int> _partitionKeyIndex = new(StringComparer.Ordinal);
    private readonly List<string> _partitionKeys = [];
    private readonly Dictionary<string, int> _hashKeyIndex = new(StringComparer.Ordinal);
    private readonly List<string> _hashKeys = [];
    private int _protobufBytes;
    private int _firstPartitionKeyBytes;

    /// <param name="maxRecordBytes">Largest aggregate to build, counting data and partition key; at most 1 MiB (the default).</param>
    public KplAggregator(int maxRecordBytes = KplAggregate.MaxRecordBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordBytes, KplAggregate.OverheadBytes + 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRecordBytes, KplAggregate.MaxRecordBytes);
        MaxRecordBytes = maxRecordBytes;
    }

    public int MaxRecordBytes { get; }

    /// <summary>User records in the open aggregate.</summary>
    public int Count => _records.Count;

    /// <summary>What the open aggregate would weigh if flushed now (data plus partition key); 0 when empty.</summary>
    public int SizeBytes => _records.Count == 0 ? 0 : KplAggregate.OverheadBytes + _protobufBytes + _firstPartitionKeyBytes;

    /// <summary>
    /// Adds a user record to the open aggregate unless it would take it over the limit. <paramref name="data"/> is
    /// referenced, not copied, until the next <see cref="Flush"/>.
    /// </summary>
    public KplAddResult TryAdd(ReadOnlyMemory<byte> data, string partitionKey, string? explicitHashKey = null, IReadOnlyList<KplTag>? tags = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(partitionKey);
        if (explicitHashKey is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(explicitHashKey);
        }

        var growth = Growth(data.Length, partitionKey, explicitHashKey, tags, out var recordBytes);
        var firstKeyBytes = _records.Count == 0 ? Encoding.UTF8.GetByteCount(partitionKey) : _firstPartitionKeyBytes;
        var total = (long)KplAggregate.OverheadBytes + _protobufBytes + growth + firstKeyBytes;
        if (total > MaxRecordBytes)
        {
            return _records.Count == 0 ? KplAddResult.TooLarge : KplAddResult.Full;
        }

        var partitionKeyIndex = IndexOf(partitionKey, _partitionKeyIndex, _partitionKeys);
        int? hashKeyIndex = explicitHashKey is null ? null : IndexOf(explicitHashKey, _hashKeyIndex, _hashKeys);
        _records.Add(new PendingRecord(data, partitionKeyIndex, hashKeyIndex, tags ?? [], recordBytes));
        _protobufBytes += growth;
        _firstPartitionKeyBytes = firstKeyBytes;
        return KplAddResult.Added;
    }

    /// <summary>The open aggregate as a record to put, and a fresh empty one; null when nothing was added.</summary>
    public KplAggregatedRecord? Flush()
    {
        if (_records.Count == 0)
        {
            return null;
        }

        var protobuf = new byte[_protobufBytes];
        var output = new CodedOutputStream(protobuf);
        foreach (var key in _partitionKeys)
        {
            output.WriteTag(KplWire.PartitionKeyTableField, WireFormat.WireType.LengthDelimited);
            output.WriteString(key);
        }

        foreach (var key in _hashKeys)
        {
            output.WriteTag(KplWire.ExplicitHashKeyTableField, WireFormat.WireType.LengthDelimited);
            output.WriteString(key);
        }

        foreach (var record in _records)
        {
            output.WriteTag(KplWire.RecordsField, WireFormat.WireType.LengthDelimited);
            output.WriteLength(record.Bytes);
            WriteRecord(output, record);
        }

        output.CheckNoSpaceLeft();
        var data = new byte[KplAggregate.OverheadBytes + protobuf.Length];
        KplAggregate.Magic.CopyTo(data);
        protobuf.CopyTo(data, KplAggregate.Magic.Length);
#pragma warning disable CA5351 // MD5 is the format's checksum against corruption, not a security measure.
        MD5.HashData(protobuf, data.AsSpan(KplAggregate.Magic.Length + protobuf.Length));
#pragma warning restore CA5351

        var first = _records[0];
        var aggregate = new KplAggregatedRecord(
            data,
            _partitionKeys[first.PartitionKeyIndex],
            first.HashKeyIndex is { } h ? _hashKeys[h] : null,
            _records.Count);
        Clear();
        return aggregate;
    }

    /// <summary>Drops the open aggregate.</summary>
    public void Clear()
    {
        _records.Clear();
        _partitionKeyIndex.Clear();
        _partitionKeys.Clear();
        _hashKeyIndex.Clear();
        _hashKeys.Clear();
        _protobufBytes = 0;
        _firstPartitionKeyBytes = 0;
    }

    private static void WriteRecord(CodedOutputStream output, PendingRecord record)
    {
        output.WriteTag(KplWire.PartitionKeyIndexField, WireFormat.WireType.Varint);
        output.WriteUInt64((ulong)record.PartitionKeyIndex);
        if (record.HashKeyIndex is { } hashKeyIndex)
        {
            output.WriteTag(KplWire.ExplicitHashKeyIndexField, WireFormat.WireType.Varint);
            output.WriteUInt64((ulong)hashKeyIndex);
        }

        output.WriteTag(KplWire.DataField, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(record.Data));
        foreach (var tag in record.Tags)
        {
            output.WriteTag(KplWire.TagsField, WireFormat.WireType.LengthDelimited);
            output.WriteLength(TagBytes(tag));
            output.WriteTag(KplWire.KeyField, WireFormat.WireType.LengthDelimited);
            output.WriteString(tag.Key);
            if (tag.Value is { } value)
            {
                output.WriteTag(KplWire.ValueField, WireFormat.WireType.LengthDelimited);
                output.WriteString(value);
            }
        }
    }

    private static int IndexOf(string key, Dictionary<string, int> index, List<string> table)
    {
        if (!index.TryGetValue(key, out var i))
        {
            i = table.Count;
            index.Add(key, i);
            table.Add(key);
        }

        return i;
    }

    /// <summary>How many protobuf bytes the record adds: new table entries plus the embedded record.</summary>
    private int Growth(int dataLength, string partitionKey, string? hashKey, IReadOnlyList<KplTag>? tags, out int recordBytes)
    {
        var growth = 0;
        if (!_partitionKeyIndex.TryGetValue(partitionKey, out var partitionKeyIndex))
        {
            partitionKeyIndex = _partitionKeys.Count;
            growth += CodedOutputStream.ComputeTagSize(KplWire.PartitionKeyTableField) + CodedOutputStream.ComputeStringSize(partitionKey);
        }

        recordBytes = CodedOutputStream.ComputeTagSize(KplWire.PartitionKeyIndexField) + CodedOutputStream.ComputeUInt64Size((ulong)partitionKeyIndex);
        if (hashKey is not null)
        {
            if (!_hashKeyIndex.TryGetValue(hashKey, out var hashKeyIndex))
            {
                hashKeyIndex = _hashKeys.Count;
                growth += CodedOutputStream.ComputeTagSize(KplWire.ExplicitHashKeyTableField) + CodedOutputStream.ComputeStringSize(hashKey);
            }

            recordBytes += CodedOutputStream.ComputeTagSize(KplWire.ExplicitHashKeyIndexField) + CodedOutputStream.ComputeUInt64Size((ulong)hashKeyIndex);
        }

        recordBytes += CodedOutputStream.ComputeTagSize(KplWire.DataField) + CodedOutputStream.ComputeLengthSize(dataLength) + dataLength;
        foreach (var tag in tags ?? [])
        {
            ArgumentNullException.ThrowIfNull(tag.Key, nameof(tags));
            var tagBytes = TagBytes(tag);
            recordBytes += CodedOutputStream.ComputeTagSize(KplWire.TagsField) + CodedOutputStream.ComputeLengthSize(tagBytes) + tagBytes;
        }

        return growth + CodedOutputStream.ComputeTagSize(KplWire.RecordsField) + CodedOutputStream.ComputeLengthSize(recordBytes) + recordBytes;
    }

    private static int TagBytes(KplTag tag) =>
        CodedOutputStream.ComputeTagSize(KplWire.KeyField) + CodedOutputStream.ComputeStringSize(tag.Key)
        + (tag.Value is null ? 0 : CodedOutputStream.ComputeTagSize(KplWire.ValueField) + CodedOutputStream.ComputeStringSize(tag.Value));

    private sealed record PendingRecord(ReadOnlyMemory<byte> Data, int PartitionKeyIndex, int? HashKeyIndex, IReadOnlyList<KplTag> Tags, int Bytes);
}
