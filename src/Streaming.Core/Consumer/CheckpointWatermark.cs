using Streaming.Core.Leases;

namespace Streaming.Core.Consumer;

/// <summary>
/// Where a shard's checkpoint may be: below every event that is not yet durably in the lake. Each open (or
/// in-flight) buffer pins the position that was complete just before its first event; the safe checkpoint is
/// the oldest pin, or the last complete position when nothing is pinned. Like KafkaFlow's offset tracker, it
/// only ever offers the contiguous completed prefix. Pure: no I/O, no clocks.
/// </summary>
public sealed class CheckpointWatermark
{
    private readonly SortedDictionary<long, ShardPosition> _pins = [];

    public CheckpointWatermark(ShardPosition start)
    {
        LastComplete = start;
    }

    /// <summary>The position of the last record (user record) whose every event has been routed.</summary>
    public ShardPosition LastComplete { get; private set; }

    public int Pinned => _pins.Count;

    /// <summary>The furthest checkpoint below which everything is durable.</summary>
    public ShardPosition Safe => _pins.Count > 0 ? _pins.First().Value : LastComplete;

    /// <summary>A buffer with id <paramref name="bufferId"/> opened while routing the record after <see cref="LastComplete"/>.</summary>
    public void Pin(long bufferId) => _pins.TryAdd(bufferId, LastComplete);

    /// <summary>Pins every buffer id in [<paramref name="fromId"/>, <paramref name="toId"/>): the buffers one record opened.</summary>
    public void PinRange(long fromId, long toId)
    {
        for (var id = fromId; id < toId; id++)
        {
            Pin(id);
        }
    }

    /// <summary>The buffer is in the lake (or was abandoned with the lease): it holds nothing back any more.</summary>
    public void Unpin(long bufferId) => _pins.Remove(bufferId);

    /// <summary>A record (user record) has been routed in full.</summary>
    public void Complete(ShardPosition position) => LastComplete = position;

    /// <summary>Forgets every pin (the buffers were abandoned).</summary>
    public void Clear() => _pins.Clear();
}
