using Streaming.Core.Schema;

namespace Streaming.Core.Buffers;

/// <summary>
/// One writer's map from its normaliser's column name ids to a table's column indexes, so the hot path does
/// not hash names or take the schema's lock. Name ids mean something only inside the writer whose normaliser
/// numbered them, so this cache belongs to that writer (one per table), never to the shared schema. Valid
/// forever: a column's index never changes.
/// </summary>
public sealed class ColumnIndexCache
{
    private int[] _indexByNameId = new int[64];

    public ColumnIndexCache(TableSchema schema)
    {
        Schema = schema;
    }

    public TableSchema Schema { get; }

    /// <summary>The column index of <paramref name="name"/> (whose id is <paramref name="nameId"/>), or -1 when the table has no such column yet.</summary>
    public int IndexOf(int nameId, string name)
    {
        if ((uint)nameId < (uint)_indexByNameId.Length && _indexByNameId[nameId] != 0)
        {
            return _indexByNameId[nameId] - 1;
        }

        var index = Schema.IndexOf(name);
        if (index >= 0)
        {
            Remember(nameId, index);
        }

        return index;
    }

    /// <summary>Like <see cref="IndexOf"/>, adding the column with <paramref name="type"/> when it is new; -1 past <paramref name="maxColumns"/>.</summary>
    public int GetOrAdd(int nameId, string name, ColumnType type, int maxColumns)
    {
        var index = IndexOf(nameId, name);
        if (index >= 0)
        {
            return index;
        }

        index = Schema.GetOrAdd(name, type, maxColumns);
        if (index >= 0)
        {
            Remember(nameId, index);
        }

        return index;
    }

    private void Remember(int nameId, int index)
    {
        if (nameId < 0)
        {
            return;
        }

        if (nameId >= _indexByNameId.Length)
        {
            Array.Resize(ref _indexByNameId, Math.Max(nameId + 1, _indexByNameId.Length * 2));
        }

        _indexByNameId[nameId] = index + 1;
    }
}
