using System.Globalization;

namespace Streaming.Core.Backfill;

/// <summary>
/// A unit of work: a whole input, or one byte range of a large plain one. It gets its own router, so its rows never
/// share a file with another piece's, and its own done-marker.
/// </summary>
/// <param name="Start">The first byte of the nominal range: the piece's lines are those that start in [Start, End).</param>
/// <param name="End">The end of the nominal range, or null for the whole input.</param>
public sealed record ConvertPiece(IConvertInput Input, long Start, long? End)
{
    public bool IsWhole => End is null;

    /// <summary>The source of its events' positions, and so of its file names: the input's name, plus the byte range of a chunk.</summary>
    public string SourceName => IsWhole
        ? Input.Name
        : string.Create(CultureInfo.InvariantCulture, $"{Input.Name}#bytes={Start}-{End - 1}");

    /// <summary>What its done-marker is named after; null when the input has no identity (standard input).</summary>
    public string? Identity => Input.Identity is null
        ? null
        : IsWhole ? Input.Identity : string.Create(CultureInfo.InvariantCulture, $"{Input.Identity}#bytes={Start}-{End - 1}");

    /// <summary>Bytes of the stored input this piece accounts for (its nominal range), for progress.</summary>
    public long? Bytes => End is { } end ? end - Start : Input.Length;
}
