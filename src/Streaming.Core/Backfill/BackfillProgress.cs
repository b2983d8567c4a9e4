namespace Streaming.Core.Backfill;

/// <summary>What a run has done so far, updated by every piece's worker and read by a progress display. Thread-safe.</summary>
public sealed class BackfillProgress
{
    private long _bytesRead;
    private long _events;
    private int _piecesDone;
    private int _piecesSkipped;
    private int _piecesFailed;

    /// <summary>Pieces (whole inputs, or chunks of large ones) in the run.</summary>
    public int PiecesTotal { get; internal set; }

    /// <summary>Stored bytes of every piece; null parts (standard input) count nothing.</summary>
    public long BytesTotal { get; internal set; }

    public int PiecesDone => Volatile.Read(ref _piecesDone);

    public int PiecesSkipped => Volatile.Read(ref _piecesSkipped);

    public int PiecesFailed => Volatile.Read(ref _piecesFailed);

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long Events => Interlocked.Read(ref _events);

    internal void AddBytes(long n) => Interlocked.Add(ref _bytesRead, n);

    internal void AddEvents(long n) => Interlocked.Add(ref _events, n);

    internal void PieceDone() => Interlocked.Increment(ref _piecesDone);

    internal void PieceSkipped(long bytes)
    {
        Interlocked.Increment(ref _piecesSkipped);
        Interlocked.Add(ref _bytesRead, bytes);
    }

    internal void PieceFailed() => Interlocked.Increment(ref _piecesFailed);
}
