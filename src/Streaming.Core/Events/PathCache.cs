namespace Streaming.Core.Events;

/// <summary>
/// The cache from (parent path, key as UTF-8 bytes) to <see cref="FieldPath"/>. Lookups hash the key's
/// bytes straight from the input: no string, no transcoding, for every field of every event.
/// </summary>
internal sealed class PathCache
{
    private const int MaxEntries = 100_000;
    private readonly Dictionary<Key, FieldPath> _paths;
    private readonly Dictionary<Key, FieldPath>.AlternateLookup<SpanKey> _lookup;
    private readonly ColumnNameIds _names;
    private int _nextId = 1;

    public PathCache(ColumnNameIds names)
    {
        _names = names;
        _paths = new Dictionary<Key, FieldPath>(new Comparer());
        _lookup = _paths.GetAlternateLookup<SpanKey>();
    }

    public FieldPath Resolve(FieldPath? parent, ReadOnlySpan<byte> utf8Name)
    {
        var key = new SpanKey(parent?.Id ?? 0, utf8Name);
        if (_lookup.TryGetValue(key, out var path))
        {
            return path;
        }

        path = FieldPath.Build(_nextId++, parent, System.Text.Encoding.UTF8.GetString(utf8Name), _names);
        if (_paths.Count < MaxEntries)
        {
            _lookup[key] = path;
        }

        return path;
    }

    private readonly record struct Key(int Parent, byte[] Name);

    private readonly ref struct SpanKey(int parent, ReadOnlySpan<byte> name)
    {
        public int Parent { get; } = parent;

        public ReadOnlySpan<byte> Name { get; } = name;
    }

    private sealed class Comparer : IEqualityComparer<Key>, IAlternateEqualityComparer<SpanKey, Key>
    {
        public bool Equals(Key x, Key y) => x.Parent == y.Parent && x.Name.AsSpan().SequenceEqual(y.Name);

        public int GetHashCode(Key key) => Hash(key.Parent, key.Name);

        public bool Equals(SpanKey alternate, Key other) => alternate.Parent == other.Parent && alternate.Name.SequenceEqual(other.Name);

        public int GetHashCode(SpanKey alternate) => Hash(alternate.Parent, alternate.Name);

        public Key Create(SpanKey alternate) => new(alternate.Parent, alternate.Name.ToArray());

        private static int Hash(int parent, ReadOnlySpan<byte> name)
        {
            var hash = new HashCode();
            hash.Add(parent);
            hash.AddBytes(name);
            return hash.ToHashCode();
        }
    }
}
