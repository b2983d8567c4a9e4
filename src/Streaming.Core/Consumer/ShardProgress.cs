using Streaming.Core.Lake;

namespace Streaming.Core.Consumer;

/// <summary>
/// What a shard has written beyond its checkpoint, per partition: the last event already in the lake
/// (<c>done</c>) and the run of a file being written (<c>pending</c>). Stored in the lease next to the
/// checkpoint (value <c>d=&lt;pos&gt;</c>, <c>p=&lt;from&gt;..&lt;to&gt;</c>, or both separated by <c>;</c>)
/// and used as the replay filter when a worker takes the shard (docs/exactly-once.md).
/// </summary>
public sealed class ShardProgress : IReplayFilter
{
    private readonly Dictionary<string, EventPosition> _done = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (EventPosition From, EventPosition To)> _pending = new(StringComparer.Ordinal);
    private string? _lastSequenceText;
    private System.Numerics.BigInteger _lastSequence;

    public bool IsEmpty => _done.Count == 0 && _pending.Count == 0;

    /// <summary>Entries the lease item holds for this shard (a partition with both a done and a pending run counts twice).</summary>
    public int Count => _done.Count + _pending.Count;

    /// <summary>The furthest position any entry mentions: past it, a replay has nothing left to filter.</summary>
    public EventPosition? Horizon =>
        _done.Values.Concat(_pending.Values.Select(p => p.To)).Cast<EventPosition?>().Max();

    public static ShardProgress Parse(IReadOnlyDictionary<string, string> stored)
    {
        var progress = new ShardProgress();
        foreach (var (partition, value) in stored)
        {
            foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.StartsWith("d=", StringComparison.Ordinal))
                {
                    progress._done[partition] = EventPosition.Parse(part[2..]);
                }
                else if (part.StartsWith("p=", StringComparison.Ordinal) && part.IndexOf("..", StringComparison.Ordinal) is var dots and > 2)
                {
                    progress._pending[partition] = (EventPosition.Parse(part[2..dots]), EventPosition.Parse(part[(dots + 2)..]));
                }
                else
                {
                    throw new FormatException($"lease progress for {partition} is '{value}', not d=<position> or p=<from>..<to>");
                }
            }
        }

        return progress;
    }

    public Dictionary<string, string> Encode()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (partition, done) in _done)
        {
            result[partition] = $"d={done}";
        }

        foreach (var (partition, (from, to)) in _pending)
        {
            var run = $"p={from}..{to}";
            result[partition] = result.TryGetValue(partition, out var d) ? $"{d};{run}" : run;
        }

        return result;
    }

    public void BeginFile(string partition, EventPosition from, EventPosition to) => _pending[partition] = (from, to);

    public void EndFile(string partition, EventPosition to)
    {
        _pending.Remove(partition);
        if (!_done.TryGetValue(partition, out var done) || done < to)
        {
            _done[partition] = to;
        }
    }

    /// <summary>Forgets what the checkpoint already covers: <c>done</c> entries in records at or before it.</summary>
    public void Prune(EventPosition checkpointRecordEnd)
    {
        foreach (var partition in _done.Where(kv => kv.Value <= checkpointRecordEnd).Select(kv => kv.Key).ToList())
        {
            _done.Remove(partition);
        }
    }

    public ReplayAction Decide(string partition, SourcePosition position)
    {
        var hasDone = _done.TryGetValue(partition, out var done);
        var hasPending = _pending.TryGetValue(partition, out var pending);
        if (!hasDone && !hasPending)
        {
            return ReplayAction.Append;
        }

        var at = Position(position);
        if (hasDone && at <= done)
        {
            return ReplayAction.Skip;
        }

        if (hasPending && at >= pending.From && at <= pending.To)
        {
            return at == pending.To ? ReplayAction.AppendAndCut : ReplayAction.AppendAndHold;
        }

        return ReplayAction.Append;
    }

    private EventPosition Position(SourcePosition position)
    {
        // Every event of a record shares its sequence text: parse it once.
        if (!ReferenceEquals(position.Sequence, _lastSequenceText))
        {
            _lastSequence = System.Numerics.BigInteger.Parse(position.Sequence!, System.Globalization.CultureInfo.InvariantCulture);
            _lastSequenceText = position.Sequence;
        }

        return new EventPosition(_lastSequence, position.SubSequence, position.Index);
    }
}
