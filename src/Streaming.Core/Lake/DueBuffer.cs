using Streaming.Core.Buffers;

namespace Streaming.Core.Lake;

/// <summary>
/// A buffer the router has handed out to be written: it no longer takes events, and its memory stays counted
/// until the caller gives it back (<see cref="LakeRouter.Release"/>) once the file is in the lake or abandoned.
/// Either rows of one (table, hour), or the rejected events of one hour.
/// </summary>
public sealed class DueBuffer
{
    internal DueBuffer(PartitionBuffer data, FlushReason reason)
    {
        Data = data;
        Id = data.Id;
        Partition = data.Key.JournalName;
        First = data.FirstPosition;
        Last = data.LastPosition;
        Rows = data.RowCount;
        Bytes = data.AllocatedBytes;
        Reason = reason;
    }

    internal DueBuffer(RejectedEventBuffer errors, FlushReason reason)
    {
        Errors = errors;
        Id = errors.Id;
        Partition = PartitionKey.ErrorsJournalName(errors.Hour);
        First = errors.First;
        Last = errors.Last;
        Rows = errors.Count;
        Bytes = errors.Bytes;
        Reason = reason;
    }

    /// <summary>The buffer's id, in order of creation within its router.</summary>
    public long Id { get; }

    /// <summary><c>table/hour</c> or <c>_errors/hour</c>: the name of its partition in a lease's progress.</summary>
    public string Partition { get; }

    /// <summary>The run of events it holds, first and last.</summary>
    public SourcePosition First { get; }

    public SourcePosition Last { get; }

    public long Rows { get; }

    /// <summary>Memory it holds, as counted by the router.</summary>
    public long Bytes { get; }

    public FlushReason Reason { get; }

    public PartitionBuffer? Data { get; }

    internal RejectedEventBuffer? Errors { get; }

    public bool IsErrors => Errors is not null;

    /// <summary>Values in <c>_rescued</c> before the publisher aligned the buffer with the saved schema.</summary>
    internal long? RescuedBeforeSave { get; set; }

    public override string ToString() => $"{Partition} {First}..{Last} ({Rows} rows, {Reason})";
}
