using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Google.Protobuf;

namespace Streaming.Core.Decoding.Kpl;

/// <summary>
/// The KPL aggregated record format: the magic bytes F3 89 9A C2, a protobuf <c>AggregatedRecord</c>, then the
/// 16-byte MD5 of the protobuf bytes. A record that fails any check is not an error: it is an ordinary record whose
/// data happens to look different, so <see cref="TryDeaggregate"/> answers false and the caller decodes it as usual.
/// </summary>
public static class KplAggregate
{
    /// <summary>The length of the trailing MD5 digest.</summary>
    public const int DigestLength = 16;

    /// <summary>Magic bytes plus digest: the smallest possible aggregated record is this long (and holds nothing).</summary>
    public const int OverheadBytes = 4 + DigestLength;

    /// <summary>The classic Kinesis limit on one record: data plus partition key, 1 MiB.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    /// <summary>The four bytes an aggregated record starts with.</summary>
    public static ReadOnlySpan<byte> Magic => [0xF3, 0x89, 0x9A, 0xC2];

    /// <summary>A cheap first look: only records that start with the magic bytes can be aggregated.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> data) => data.StartsWith(Magic);

    /// <summary>
    /// Appends the user records of <paramref name="data"/> to <paramref name="output"/> and answers true, or leaves
    /// <paramref name="output"/> as it was and answers false when <paramref name="data"/> is not a valid aggregated
    /// record: no magic bytes, a digest that does not match, truncated or malformed protobuf, a missing required
    /// field, a key index outside its table, or no user records at all.
    /// </summary>
    public static bool TryDeaggregate(ReadOnlyMemory<byte> data, List<KplUserRecord> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var span = data.Span;
        if (span.Length <= OverheadBytes || !HasMagic(span))
        {
            return false;
        }

        var body = data[Magic.Length..^DigestLength];
        Span<byte> digest = stackalloc byte[DigestLength];
#pragma warning disable CA5351 // MD5 is the format's checksum against corruption, not a security measure.
        MD5.HashData(body.Span, digest);
#pragma warning restore CA5351
        if (!digest.SequenceEqual(span[^DigestLength..]))
        {
            return false;
        }

        // CodedInputStream reads arrays; most records arrive in one already, so only copy when they do not.
        var segment = MemoryMarshal.TryGetArray(body, out var array) ? array : new ArraySegment<byte>(body.ToArray());
        var before = output.Count;
        try
        {
            if (KplParser.TryParse(segment, output))
            {
                return true;
            }
        }
        catch (InvalidProtocolBufferException)
        {
            // Truncated or malformed protobuf (bad varint, invalid UTF-8, a length past the end): an ordinary record.
        }

        output.RemoveRange(before, output.Count - before);
        return false;
    }
}
