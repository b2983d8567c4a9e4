namespace Streaming.Core.Lake;

/// <summary>
/// Compares partition keys without hashing the whole table name on every event: the normaliser hands out one
/// string instance per table, so reference equality settles almost every comparison, and the hash uses the
/// hour and a few characters (equal strings still hash equal, so other instances are found too).
/// </summary>
internal sealed class PartitionKeyComparer : IEqualityComparer<PartitionKey>
{
    public static PartitionKeyComparer Instance { get; } = new();

    public bool Equals(PartitionKey x, PartitionKey y) =>
        x.Hour == y.Hour && (ReferenceEquals(x.Table, y.Table) || string.Equals(x.Table, y.Table, StringComparison.Ordinal));

    public int GetHashCode(PartitionKey key)
    {
        var t = key.Table;
        return t.Length == 0
            ? key.Hour.GetHashCode()
            : HashCode.Combine(key.Hour, t.Length, t[0], t[t.Length / 2], t[^1]);
    }
}
