using Streaming.Core.Events;

namespace Streaming.Core.Schema;

/// <summary>
/// The columns of one table, in the order they were first seen. A column never changes type and is never
/// removed; new columns are appended and bump the version when the schema is next saved.
/// </summary>
public sealed class TableSchema
{
    private readonly List<ColumnDefinition> _columns = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public TableSchema(string table)
    {
        Table = table;
    }

    public string Table { get; }

    /// <summary>The version saved in the lake; 0 when nothing was saved yet.</summary>
    public int SavedVersion { get; private set; }

    /// <summary>How many columns are saved in the lake; columns past this are pending.</summary>
    public int SavedColumnCount { get; private set; }

    public bool HasUnsavedColumns => _columns.Count > SavedColumnCount;

    public IReadOnlyList<ColumnDefinition> Columns => _columns;

    public int Count => _columns.Count;

    public ColumnDefinition this[int index] => _columns[index];

    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    private int[] _indexByNameId = new int[64];

    /// <summary>
    /// <see cref="IndexOf(string)"/> through an array indexed by the normaliser's column name id, so the hot
    /// path does not hash the name. Ids must come from one <see cref="Events.ColumnNameIds"/>.
    /// </summary>
    internal int IndexOf(int nameId, string name)
    {
        if (nameId < _indexByNameId.Length && _indexByNameId[nameId] != 0)
        {
            return _indexByNameId[nameId] - 1;
        }

        var index = IndexOf(name);
        if (index >= 0)
        {
            if (nameId >= _indexByNameId.Length)
            {
                Array.Resize(ref _indexByNameId, Math.Max(nameId + 1, _indexByNameId.Length * 2));
            }

            _indexByNameId[nameId] = index + 1;
        }

        return index;
    }

    /// <summary>Adds a column seen for the first time; it belongs to the next saved version.</summary>
    public int Add(string name, ColumnType type)
    {
        if (_index.ContainsKey(name))
        {
            throw new InvalidOperationException($"column {name} already exists in {Table}");
        }

        _columns.Add(new ColumnDefinition(name, type, SavedVersion + 1));
        _index[name] = _columns.Count - 1;
        return _columns.Count - 1;
    }

    /// <summary>
    /// Widens a column from BIGINT to DOUBLE while it is not saved yet: producers often write <c>1200</c> for a
    /// price that is <c>9.99</c> elsewhere. Once saved, a type is fixed forever (Athena cannot read BIGINT in
    /// one file and DOUBLE in another), so this returns false.
    /// </summary>
    public bool TryWidenToDouble(int index)
    {
        var column = _columns[index];
        if (index < SavedColumnCount || column.Type != ColumnType.Int64)
        {
            return false;
        }

        _columns[index] = column with { Type = ColumnType.Double };
        return true;
    }

    /// <summary>Records that everything up to now is saved as <paramref name="version"/>.</summary>
    public void MarkSaved(int version)
    {
        SavedVersion = version;
        SavedColumnCount = _columns.Count;
    }

    /// <summary>Builds a schema from its saved form.</summary>
    public static TableSchema FromSaved(string table, int version, IEnumerable<ColumnDefinition> columns)
    {
        var schema = new TableSchema(table);
        foreach (var c in columns)
        {
            if (!ColumnNames.IsValid(c.Name) || schema._index.ContainsKey(c.Name))
            {
                throw new InvalidDataException($"schema of {table} has an invalid or repeated column name '{c.Name}'");
            }

            schema._columns.Add(c);
            schema._index[c.Name] = schema._columns.Count - 1;
        }

        schema.MarkSaved(version);
        return schema;
    }
}
