using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Streaming.Core.Events;

namespace Streaming.Core.Lake;

/// <summary>
/// Rejected events of one hour of arrival time, as newline-delimited JSON: the reason, a message, where the
/// event came from and its original bytes (as text when they are UTF-8, else base64). The bytes kept are
/// capped at <see cref="MaxRawBytes"/>, so no event, however large, can make its error record unwritable or
/// hold much memory; a capped record says how long the original was and carries its SHA-256.
/// </summary>
internal sealed class RejectedEventBuffer
{
    /// <summary>At most this many of an event's bytes are kept in its error record.</summary>
    public const int MaxRawBytes = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _data = new(4096);
    private readonly Utf8JsonWriter _writer;

    public RejectedEventBuffer(long hour, SourcePosition first, long id = 0)
    {
        Id = id;
        Hour = hour;
        First = first;
        _writer = new Utf8JsonWriter(_data, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public long Hour { get; }

    public SourcePosition First { get; }

    public SourcePosition Last { get; private set; }

    /// <summary>The buffer's id among its router's buffers, in order of creation.</summary>
    public long Id { get; }

    public bool CutRequested { get; set; }

    public bool HoldUntilCut { get; set; }

    public long CreatedAtMs { get; init; }

    public int Count { get; private set; }

    public long Bytes => _data.Capacity;

    public ReadOnlyMemory<byte> Data => _data.WrittenMemory;

    public void Add(RejectReason reason, string message, ReadOnlySpan<byte> raw, long? originalLength, SourcePosition position, long arrivalMs)
    {
        _writer.Reset();
        _writer.WriteStartObject();
        _writer.WriteString("reason", reason.Code());
        _writer.WriteString("message", message);
        _writer.WriteString("received_at", DateTimeOffset.FromUnixTimeMilliseconds(arrivalMs).UtcDateTime);
        if (position.Sequence is null)
        {
            _writer.WriteString("source_file", position.Source);
            _writer.WriteNumber("source_line", position.Index);
        }
        else
        {
            _writer.WriteString("shard_id", position.Source);
            _writer.WriteString("sequence_number", position.Sequence);
            _writer.WriteNumber("sub_sequence_number", position.SubSequence);
            _writer.WriteNumber("event_index", position.Index);
        }

        var kept = raw.Length > MaxRawBytes ? Prefix(raw) : raw;
        if (Utf8.IsValid(kept))
        {
            _writer.WriteString("raw", kept);
        }
        else
        {
            _writer.WriteBase64String("raw_base64", kept);
        }

        if (kept.Length < raw.Length)
        {
            Span<byte> hash = stackalloc byte[32];
            System.Security.Cryptography.SHA256.HashData(raw, hash);
            _writer.WriteNumber("raw_truncated_from_bytes", originalLength ?? raw.Length);
            _writer.WriteString("raw_sha256", Convert.ToHexStringLower(hash));
        }
        else if (originalLength is { } length)
        {
            _writer.WriteNumber("raw_truncated_from_bytes", length);
        }

        _writer.WriteEndObject();
        _writer.Flush();
        _data.Write("\n"u8);
        Count++;
        Last = position;
    }

    /// <summary>
    /// The first <see cref="MaxRawBytes"/> bytes, cut back to the start of a UTF-8 character so that text stays valid
    /// text (kept as <c>raw</c>, not base64); binary bytes may lose up to 3 bytes to the same rule.
    /// </summary>
    private static ReadOnlySpan<byte> Prefix(ReadOnlySpan<byte> raw)
    {
        var end = MaxRawBytes;
        while (end > MaxRawBytes - 4 && (raw[end] & 0xC0) == 0x80)
        {
            end--;
        }

        return raw[..end];
    }
}
