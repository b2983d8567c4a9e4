using System.Globalization;
using System.Numerics;
using Streaming.Core.Lake;

namespace Streaming.Core.Consumer;

/// <summary>An event's place in its shard: sequence number (compared as a number), sub-sequence, index.</summary>
public readonly record struct EventPosition(BigInteger Sequence, long SubSequence, long Index) : IComparable<EventPosition>
{
    public static EventPosition From(SourcePosition position) =>
        new(BigInteger.Parse(position.Sequence!, CultureInfo.InvariantCulture), position.SubSequence, position.Index);

    public int CompareTo(EventPosition other)
    {
        var c = Sequence.CompareTo(other.Sequence);
        if (c != 0)
        {
            return c;
        }

        c = SubSequence.CompareTo(other.SubSequence);
        return c != 0 ? c : Index.CompareTo(other.Index);
    }

    public static bool operator <(EventPosition a, EventPosition b) => a.CompareTo(b) < 0;

    public static bool operator >(EventPosition a, EventPosition b) => a.CompareTo(b) > 0;

    public static bool operator <=(EventPosition a, EventPosition b) => a.CompareTo(b) <= 0;

    public static bool operator >=(EventPosition a, EventPosition b) => a.CompareTo(b) >= 0;

    /// <summary><c>sequence/sub/index</c></summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sequence}/{SubSequence}/{Index}");

    public static EventPosition Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 3)
        {
            throw new FormatException($"'{text}' is not an event position (sequence/sub/index)");
        }

        return new EventPosition(
            BigInteger.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture),
            long.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture),
            long.Parse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture));
    }
}
