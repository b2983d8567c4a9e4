using System.Globalization;
using System.Numerics;

namespace Streaming.Core.Leases;

/// <summary>
/// A position in a shard: a record's sequence number plus the index of a user record inside it (its
/// sub-sequence; 0 for a plain record), or one of the sentinels TRIM_HORIZON, LATEST, AT_TIMESTAMP and
/// SHARD_END. Sequence numbers are compared as the big integers they are.
/// </summary>
public readonly record struct ShardPosition(string Sequence, long SubSequence)
{
    public const string TrimHorizonValue = "TRIM_HORIZON";
    public const string LatestValue = "LATEST";
    public const string AtTimestampValue = "AT_TIMESTAMP";
    public const string ShardEndValue = "SHARD_END";

    public static ShardPosition TrimHorizon { get; } = new(TrimHorizonValue, 0);

    public static ShardPosition Latest { get; } = new(LatestValue, 0);

    public static ShardPosition AtTimestamp { get; } = new(AtTimestampValue, 0);

    public static ShardPosition ShardEnd { get; } = new(ShardEndValue, 0);

    public bool IsSentinel => Sequence is TrimHorizonValue or LatestValue or AtTimestampValue or ShardEndValue;

    public bool IsShardEnd => Sequence == ShardEndValue;

    public static ShardPosition At(string sequence, long subSequence = 0) => new(sequence, subSequence);

    /// <summary>Just before record <paramref name="sequence"/>: reading resumes at it and skips nothing.</summary>
    public static ShardPosition Before(string sequence) => new(sequence, -1);

    /// <summary>Orders two record positions (not sentinels) by sequence number, then sub-sequence.</summary>
    public static int Compare(ShardPosition a, ShardPosition b)
    {
        if (a.IsSentinel || b.IsSentinel)
        {
            throw new InvalidOperationException($"cannot order {a} and {b}: sentinels have no order");
        }

        var c = BigInteger.Parse(a.Sequence, CultureInfo.InvariantCulture).CompareTo(BigInteger.Parse(b.Sequence, CultureInfo.InvariantCulture));
        return c != 0 ? c : a.SubSequence.CompareTo(b.SubSequence);
    }

    /// <summary>The text stored in the lease table: <c>sequence</c> or <c>sequence/sub</c>, or a sentinel.</summary>
    public override string ToString() => IsSentinel || SubSequence == 0 ? Sequence : string.Create(CultureInfo.InvariantCulture, $"{Sequence}/{SubSequence}");

    public static ShardPosition Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? new ShardPosition(text, 0)
            : new ShardPosition(text[..slash], long.Parse(text.AsSpan(slash + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
    }
}
