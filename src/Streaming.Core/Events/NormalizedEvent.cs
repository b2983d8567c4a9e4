namespace Streaming.Core.Events;

/// <summary>
/// The result of normalising one event: the table, the event time and the flattened fields. One instance is
/// reused for every event (it points into the input bytes and its own scratch space), so it is only valid
/// until the next call to <see cref="EventNormalizer.Normalize"/>.
/// </summary>
public sealed class NormalizedEvent
{
    private FieldEntry[] _fields = new FieldEntry[32];
    private byte[] _scratch = new byte[1024];

    public string Table { get; internal set; } = string.Empty;

    /// <summary>Event time in UTC milliseconds since the epoch: the parsed <c>date</c>, or the arrival time.</summary>
    public long EventTimeMs { get; internal set; }

    /// <summary>True when <c>date</c> was missing or unusable and the arrival time was used instead.</summary>
    public bool UsedArrivalTime { get; internal set; }

    public RejectReason? Rejection { get; internal set; }

    public string? RejectionMessage { get; internal set; }

    public int FieldCount { get; private set; }

    internal int ScratchLength { get; private set; }

    internal ReadOnlySpan<FieldEntry> Fields => _fields.AsSpan(0, FieldCount);

    internal Span<FieldEntry> FieldsMutable => _fields.AsSpan(0, FieldCount);

    internal ReadOnlySpan<byte> Scratch => _scratch.AsSpan(0, ScratchLength);

    internal void Reset()
    {
        Array.Clear(_fields, 0, FieldCount);
        FieldCount = 0;
        ScratchLength = 0;
        Table = string.Empty;
        Rejection = null;
        RejectionMessage = null;
        UsedArrivalTime = false;
        EventTimeMs = 0;
    }

    internal ref FieldEntry AddField()
    {
        if (FieldCount == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }

        return ref _fields[FieldCount++];
    }

    /// <summary>Reserves <paramref name="length"/> bytes of scratch space and returns its offset.</summary>
    internal int ReserveScratch(int length, out Span<byte> space)
    {
        if (ScratchLength + length > _scratch.Length)
        {
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, ScratchLength + length));
        }

        var start = ScratchLength;
        ScratchLength += length;
        space = _scratch.AsSpan(start, length);
        return start;
    }

    internal void TrimScratch(int start, int usedLength) => ScratchLength = start + usedLength;

    internal ReadOnlySpan<byte> ValueBytes(in FieldEntry field, ReadOnlySpan<byte> input) =>
        field.ValueInScratch
            ? _scratch.AsSpan(field.ValueStart, field.ValueLength)
            : input.Slice(field.ValueStart, field.ValueLength);

    internal ReadOnlySpan<byte> RawBytes(in FieldEntry field, ReadOnlySpan<byte> input) =>
        field.RawInScratch
            ? _scratch.AsSpan(field.RawStart, field.RawLength)
            : input.Slice(field.RawStart, field.RawLength);
}
