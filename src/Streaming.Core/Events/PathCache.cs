namespace Streaming.Core.Events;

/// <summary>
/// The cache from (parent path, key as UTF-8 bytes) to <see cref="FieldPath"/>: an open-addressing table
/// that hashes the key's bytes straight from the input. No string, no transcoding and no generic dictionary
/// machinery for each field of each event; this lookup runs about ten times per event.
/// </summary>
internal sealed class PathCache
{
    private const int MaxEntries = 100_000;
    private readonly ColumnNameIds _names;
    private Entry[] _entries = new Entry[256];
    private int _count;
    private int _nextId = 1;

    public PathCache(ColumnNameIds names)
    {
        _names = names;
    }

    public FieldPath Resolve(FieldPath? parent, ReadOnlySpan<byte> utf8Name)
    {
        var parentId = parent?.Id ?? 0;
        var hash = Hash(parentId, utf8Name);
        var mask = _entries.Length - 1;
        for (var i = (int)(hash & (uint)mask); ; i = (i + 1) & mask)
        {
            ref var entry = ref _entries[i];
            if (entry.Path is null)
            {
                break;
            }

            if (entry.Hash == hash && entry.Path.Parent?.Id == parent?.Id && entry.Name.AsSpan().SequenceEqual(utf8Name))
            {
                return entry.Path;
            }
        }

        var path = FieldPath.Build(_nextId++, parent, System.Text.Encoding.UTF8.GetString(utf8Name), _names);
        if (_count < MaxEntries)
        {
            Insert(new Entry(hash, utf8Name.ToArray(), path));
        }

        return path;
    }

    private void Insert(Entry entry)
    {
        if ((_count + 1) * 2 > _entries.Length)
        {
            var old = _entries;
            _entries = new Entry[old.Length * 2];
            foreach (var e in old)
            {
                if (e.Path is not null)
                {
                    Place(e);
                }
            }
        }

        Place(entry);
        _count++;
    }

    private void Place(Entry entry)
    {
        var mask = _entries.Length - 1;
        var i = (int)(entry.Hash & (uint)mask);
        while (_entries[i].Path is not null)
        {
            i = (i + 1) & mask;
        }

        _entries[i] = entry;
    }

    /// <summary>FNV-1a over the bytes, seeded with the parent id; keys are short, so simple is fastest.</summary>
    private static uint Hash(int parentId, ReadOnlySpan<byte> name)
    {
        var hash = 2166136261u ^ (uint)parentId;
        foreach (var b in name)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash ^ (hash >> 15);
    }

    private readonly record struct Entry(uint Hash, byte[] Name, FieldPath Path);
}
