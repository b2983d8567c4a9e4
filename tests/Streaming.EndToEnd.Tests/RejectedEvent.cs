namespace Streaming.EndToEnd.Tests;

/// <summary>
/// What identifies a rejected event whatever wrote it: the reason and the original bytes (<c>raw</c>, or
/// <c>raw_base64</c> when they are not UTF-8). Positions differ by design: <c>convert</c> records a file and line,
/// <c>run</c> a shard and sequence number.
/// </summary>
internal sealed record RejectedEvent(string? Reason, string? Raw, string? RawBase64)
{
    /// <summary>A payload <c>run</c> rejects as a whole (a compressed record that does not inflate), which no file line can reproduce.</summary>
    public static RejectedEvent UndecompressablePayload(byte[] payload) =>
        System.Text.Unicode.Utf8.IsValid(payload)
            ? new("decompression_failed", System.Text.Encoding.UTF8.GetString(payload), null)
            : new("decompression_failed", null, Convert.ToBase64String(payload));

    public override string ToString() =>
        $"({Reason}, {(Raw is not null ? LakeDiff.Show(Raw) : "base64 " + RawBase64)})";
}
