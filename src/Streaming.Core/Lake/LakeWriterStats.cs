using Streaming.Core.Events;

namespace Streaming.Core.Lake;

/// <summary>What a lake writer has done so far. Read it for summaries and tests; it is not thread-safe: its owner records what it published.</summary>
public sealed class LakeWriterStats
{
    private readonly Dictionary<RejectReason, long> _rejected = [];
    private readonly HashSet<string> _tables = new(StringComparer.Ordinal);
    private readonly HashSet<PartitionKey> _partitions = [];

    /// <summary>Events seen: rows plus rejected.</summary>
    public long Events => Rows + Rejected;

    /// <summary>Events that became (or will become, once flushed) rows.</summary>
    public long Rows { get; internal set; }

    public long RowsWritten { get; internal set; }

    public long Rejected { get; internal set; }

    public IReadOnlyDictionary<RejectReason, long> RejectedByReason => _rejected;

    /// <summary>Records (or user records) that held no event at all: empty or only white space. Counted, never rows or errors.</summary>
    public long BlankRecords { get; internal set; }

    /// <summary>Events whose <c>date</c> was missing or unusable, so the arrival time picked the hour.</summary>
    public long UsedArrivalTime { get; internal set; }

    /// <summary>Values kept in <c>_rescued</c> because they did not fit their column.</summary>
    public long RescuedValues { get; internal set; }

    public long FilesWritten { get; internal set; }

    /// <summary>Files that were already in the lake with the same name and content (a rerun of the same input).</summary>
    public long FilesAlreadyPresent { get; internal set; }

    public long RowsAlreadyPresent { get; internal set; }

    public long BytesWritten { get; internal set; }

    public long ErrorFilesWritten { get; internal set; }

    public IReadOnlyCollection<string> Tables => _tables;

    public IReadOnlyCollection<PartitionKey> Partitions => _partitions;

    internal void AddRejected(RejectReason reason)
    {
        Rejected++;
        _rejected[reason] = _rejected.GetValueOrDefault(reason) + 1;
    }

    /// <summary>Adds what another writer did (the inputs of one conversion, each with its own writer).</summary>
    public void Add(LakeWriterStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Rows += other.Rows;
        RowsWritten += other.RowsWritten;
        Rejected += other.Rejected;
        foreach (var (reason, count) in other._rejected)
        {
            _rejected[reason] = _rejected.GetValueOrDefault(reason) + count;
        }

        BlankRecords += other.BlankRecords;
        UsedArrivalTime += other.UsedArrivalTime;
        RescuedValues += other.RescuedValues;
        FilesWritten += other.FilesWritten;
        FilesAlreadyPresent += other.FilesAlreadyPresent;
        RowsAlreadyPresent += other.RowsAlreadyPresent;
        BytesWritten += other.BytesWritten;
        ErrorFilesWritten += other.ErrorFilesWritten;
        _tables.UnionWith(other._tables);
        _partitions.UnionWith(other._partitions);
    }

    /// <summary>Counts a published file.</summary>
    public void Record(PublishedFile file)
    {
        var due = file.Buffer;
        RescuedValues += file.RescuedOnSave;
        if (due.Data is { } data)
        {
            _tables.Add(data.Key.Table);
            _partitions.Add(data.Key);
            if (file.Outcome == PutOutcome.Created)
            {
                FilesWritten++;
                RowsWritten += due.Rows;
                BytesWritten += file.Bytes;
            }
            else
            {
                FilesAlreadyPresent++;
                RowsAlreadyPresent += due.Rows;
            }
        }
        else if (file.Outcome == PutOutcome.Created)
        {
            ErrorFilesWritten++;
        }
    }
}
