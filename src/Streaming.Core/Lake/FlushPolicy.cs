using Streaming.Core.Buffers;
using Streaming.Core.Configuration;

namespace Streaming.Core.Lake;

/// <summary>
/// Decides which partition buffers to write out and why: full buffers, then the least recently used past the
/// open-partition cap, then the largest while everything together is over the memory budget (down to 3/4 of
/// it, so that writing does not start again at the very next event). Pure: it looks and chooses, it writes
/// nothing.
/// </summary>
public sealed class FlushPolicy
{
    private readonly long _targetBytes;
    private readonly long _budgetBytes;
    private readonly int _maxOpen;
    private readonly long? _maxAgeMs;
    private readonly long? _graceMs;

    public FlushPolicy(LakeOptions options)
    {
        _targetBytes = options.TargetFileSize.Bytes;
        _budgetBytes = options.MemoryBudget.Bytes;
        _maxOpen = options.MaxOpenPartitions;
        _maxAgeMs = options.MaxBufferAge is { } age ? (long)age.TotalMilliseconds : null;
        _graceMs = options.HourCloseGrace is { } grace ? (long)grace.TotalMilliseconds : null;
    }

    /// <summary>True once the buffer's hour has ended plus the grace period on <paramref name="eventTimeMs"/>, the event-time watermark of its router.</summary>
    public bool IsHourClosed(PartitionBuffer buffer, long eventTimeMs) => eventTimeMs >= ((buffer.Key.Hour + 1) * PartitionKey.MillisecondsPerHour) + _graceMs;

    public bool IsTooOld(PartitionBuffer buffer, long nowMs) => nowMs - buffer.CreatedAtMs >= _maxAgeMs;

    public bool IsFull(PartitionBuffer buffer) => buffer.AllocatedBytes >= _targetBytes;

    public bool IsOverBudget(long totalBytes) => totalBytes > _budgetBytes;

    public bool TooManyOpen(int open) => open > _maxOpen;

    /// <summary>
    /// The buffers to write now, with why: replay cuts, full buffers and those a clock made due (the router's
    /// <see cref="PartitionBuffer.DueByClock"/>), then the least recently used past the cap, then the largest
    /// while over the budget.
    /// </summary>
    public List<(PartitionBuffer Buffer, FlushReason Reason)> SelectDue(IReadOnlyCollection<PartitionBuffer> open, long totalBytes)
    {
        var due = new List<(PartitionBuffer, FlushReason)>();
        var chosen = new HashSet<PartitionBuffer>(ReferenceEqualityComparer.Instance);
        // A buffer rebuilding an earlier owner's run is written only at its cut (docs/exactly-once.md).
        open = open.Where(b => b.CutRequested || !b.HoldUntilCut).ToList();
        foreach (var b in open)
        {
            var reason = b.CutRequested ? FlushReason.Replay
                : IsFull(b) ? FlushReason.Size
                : b.DueByClock;
            if (reason is { } r && chosen.Add(b))
            {
                due.Add((b, r));
                totalBytes -= b.AllocatedBytes;
            }
        }

        // Past the cap, write the least recently used down to 3/4 of it in one go: evicting one buffer per new
        // partition would write a file per event when a flood of partitions arrives.
        var excess = open.Count - chosen.Count > _maxOpen ? open.Count - chosen.Count - (_maxOpen * 3 / 4) : 0;
        if (excess > 0)
        {
            foreach (var b in open.Where(b => !chosen.Contains(b)).OrderBy(b => b.LastAppendMs).ThenBy(b => b.Key.ToString(), StringComparer.Ordinal).Take(excess))
            {
                chosen.Add(b);
                due.Add((b, FlushReason.PartitionLimit));
                totalBytes -= b.AllocatedBytes;
            }
        }

        if (totalBytes > _budgetBytes)
        {
            var low = _budgetBytes * 3 / 4;
            foreach (var b in open.Where(b => !chosen.Contains(b)).OrderByDescending(b => b.AllocatedBytes).ThenBy(b => b.Key.ToString(), StringComparer.Ordinal))
            {
                if (totalBytes <= low)
                {
                    break;
                }

                chosen.Add(b);
                due.Add((b, FlushReason.Memory));
                totalBytes -= b.AllocatedBytes;
            }
        }

        return due;
    }
}
