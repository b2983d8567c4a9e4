using System.Buffers.Binary;

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

    private FieldPath?[] _rootSlots = new FieldPath?[16 * Ways];

    /// <summary>
    /// Finds the path of key <paramref name="utf8Name"/>, the <paramref name="ordinal"/>-th key of its object.
    /// Events of one type write their keys in the same order, so the paths last seen at this ordinal under this
    /// parent are tried first: a length check and one byte comparison instead of a hash lookup. Each ordinal
    /// remembers a few paths, because one parent (<c>params</c>) holds different keys for each event type and
    /// the types of a stream interleave.
    /// </summary>
    public FieldPath Resolve(FieldPath? parent, ReadOnlySpan<byte> utf8Name, int ordinal)
    {
        ref var slots = ref parent is null ? ref _rootSlots : ref parent.ChildSlots;
        var first = ordinal * Ways;
        if ((uint)(first + Ways) <= (uint)slots.Length)
        {
            for (var way = first; way < first + Ways; way++)
            {
                if (slots[way] is not { } guess)
                {
                    break;
                }

                if (guess.Name.Length == utf8Name.Length && SameBytes(guess.Name, utf8Name))
                {
                    return guess;
                }
            }
        }

        var path = Resolve(parent, utf8Name);
        if (ordinal < MaxSlots)
        {
            if (first + Ways > slots.Length)
            {
                Array.Resize(ref slots, Math.Min(MaxSlots * Ways, Math.Max(first + Ways, slots.Length * 2)));
            }

            // Most recent first; the oldest of this ordinal is forgotten.
            slots.AsSpan(first, Ways - 1).CopyTo(slots.AsSpan(first + 1, Ways - 1));
            slots[first] = path;
        }

        return path;
    }

    private const int MaxSlots = 256;

    /// <summary>
    /// Equality of two keys of the same length. Keys are short: up to 16 bytes they are compared as two
    /// overlapping words, inline, instead of calling the general comparison for every key of every event.
    /// </summary>
    internal static bool SameBytes(byte[] known, ReadOnlySpan<byte> key)
    {
        var n = key.Length;
        if (n is >= 8 and <= 16)
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(known) == BinaryPrimitives.ReadUInt64LittleEndian(key)
                && BinaryPrimitives.ReadUInt64LittleEndian(known.AsSpan(n - 8)) == BinaryPrimitives.ReadUInt64LittleEndian(key[(n - 8)..]);
        }

        if (n is >= 4 and < 8)
        {
            return BinaryPrimitives.ReadUInt32LittleEndian(known) == BinaryPrimitives.ReadUInt32LittleEndian(key)
                && BinaryPrimitives.ReadUInt32LittleEndian(known.AsSpan(n - 4)) == BinaryPrimitives.ReadUInt32LittleEndian(key[(n - 4)..]);
        }

        return known.AsSpan().SequenceEqual(key);
    }

    /// <summary>Paths remembered per key position.</summary>
    internal const int Ways = 8;

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

        var path = FieldPath.Build(_nextId++, parent, utf8Name.ToArray(), _names);
        if (_count < MaxEntries)
        {
            Insert(new Entry(hash, path.Name, path));
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
