using Streaming.Core.Lake;

namespace Streaming.Core.Backfill;

/// <summary>What happened to one piece.</summary>
public sealed record PieceOutcome(ConvertPiece Piece, PieceState State, LakeWriterStats? Stats, string? Error, long BytesRead);

public enum PieceState
{
    Converted,

    /// <summary>Its done-marker was in the lake: converted by an earlier run.</summary>
    Skipped,

    /// <summary>It could not be read; <see cref="PieceOutcome.Error"/> says why.</summary>
    Failed,

    /// <summary>Not started: the run stopped first (<see cref="InputErrorMode.Stop"/>).</summary>
    NotStarted,
}
