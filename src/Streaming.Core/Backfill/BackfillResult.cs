using Streaming.Core.Lake;

namespace Streaming.Core.Backfill;

/// <summary>The outcome of a run: every piece's, and the statistics of all of them together.</summary>
public sealed record BackfillResult(IReadOnlyList<PieceOutcome> Pieces, LakeWriterStats Stats, long BytesRead)
{
    /// <summary>Distinct inputs (objects, files).</summary>
    public int Objects => Pieces.Select(p => p.Piece.Input.Name).Distinct(StringComparer.Ordinal).Count();

    public int Converted => Pieces.Count(p => p.State == PieceState.Converted);

    public int Skipped => Pieces.Count(p => p.State == PieceState.Skipped);

    public int Failed => Pieces.Count(p => p.State == PieceState.Failed);

    public int NotStarted => Pieces.Count(p => p.State == PieceState.NotStarted);
}
