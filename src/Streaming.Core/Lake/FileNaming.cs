using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Streaming.Core.Lake;

/// <summary>
/// Deterministic file names. For files: where the first row came from plus a hash of the content, so the
/// same input always produces the same names, two different files never share one, and a rerun finds each
/// file already there. For stream shards: where the run of events starts, nothing else.
/// </summary>
public static class FileNaming
{
    public static string Name(SourcePosition first, ReadOnlySpan<byte> content, string extension)
    {
        if (first.Sequence is not null)
        {
            // A stream's file is named by where its run of events starts, and nothing else: a replay that
            // rebuilds the same run must find the same name taken (docs/exactly-once.md).
            return $"part-{SourceToken(first)}{extension}";
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(content, hash);
        return $"part-{SourceToken(first)}-{Convert.ToHexStringLower(hash[..8])}{extension}";
    }

    /// <summary>
    /// A file source becomes a short hash of its path and the line number; a stream shard keeps its id, the
    /// sequence number, the sub-sequence and the event index, like Kafka Connect's partition-and-offset names.
    /// </summary>
    public static string SourceToken(SourcePosition position)
    {
        if (position.Sequence is null)
        {
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(Encoding.UTF8.GetBytes(position.Source), hash);
            return string.Create(CultureInfo.InvariantCulture, $"{Convert.ToHexStringLower(hash[..4])}-{position.Index:D10}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Safe(position.Source)}-{Safe(position.Sequence)}-{position.SubSequence:D5}-{position.Index:D5}");
    }

    private static string Safe(string s)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '-')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
