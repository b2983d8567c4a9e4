using Streaming.Core.Events;

namespace Streaming.Core.Schema;

/// <summary>
/// The columns of one table. Locally, columns keep the index they got when first seen (buffers are arrays by
/// that index). Separately it knows what the lake has saved: the latest version and its columns. A saved
/// column's type is fixed forever; columns seen here but not saved yet are pending and go into the next
/// version. When another writer saved first, <see cref="MergeSaved"/> adopts its types.
/// </summary>
public sealed class TableSchema
{
    private readonly List<ColumnDefinition> _columns = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private List<ColumnDefinition> _saved = [];
    private HashSet<string> _savedNames = new(StringComparer.Ordinal);
    private int[] _indexByNameId = new int[64];

    public TableSchema(string table)
    {
        Table = table;
    }

    public string Table { get; }

    /// <summary>The version saved in the lake; 0 when nothing was saved yet.</summary>
    public int SavedVersion { get; private set; }

    /// <summary>The columns of <see cref="SavedVersion"/>, in the lake's order.</summary>
    public IReadOnlyList<ColumnDefinition> SavedColumns => _saved;

    public bool HasUnsavedColumns => _columns.Count > _savedNames.Count || _columns.Any(c => !_savedNames.Contains(c.Name));

    /// <summary>Every column known here, by local index.</summary>
    public IReadOnlyList<ColumnDefinition> Columns => _columns;

    public int Count => _columns.Count;

    /// <summary>Bumped whenever an existing column changes type, so buffers re-check their columns only then.</summary>
    public int TypeChanges { get; private set; }

    public ColumnDefinition this[int index] => _columns[index];

    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>
    /// <see cref="IndexOf(string)"/> through an array indexed by the normaliser's column name id, so the hot
    /// path does not hash the name. Ids must come from one <see cref="ColumnNameIds"/>.
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

    public bool IsSaved(string name) => _savedNames.Contains(name);

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
        if (_savedNames.Contains(column.Name) || column.Type != ColumnType.Int64)
        {
            return false;
        }

        _columns[index] = column with { Type = ColumnType.Double };
        TypeChanges++;
        return true;
    }

    /// <summary>The document of the next version: the saved columns in their order, then the pending ones.</summary>
    public SchemaDocument NextVersion()
    {
        var version = SavedVersion + 1;
        var columns = _saved.Concat(_columns.Where(c => !_savedNames.Contains(c.Name)).Select(c => c with { SinceVersion = version }));
        return SchemaDocument.From(Table, version, columns);
    }

    /// <summary>Records that <paramref name="document"/> is now the latest saved version.</summary>
    public void MarkSaved(SchemaDocument document) => MergeSaved(document);

    /// <summary>
    /// Adopts a version saved in the lake (by this writer or another): its columns and their types win.
    /// Local columns it lacks stay pending. Returns the local columns whose type changed, which buffers must
    /// convert before they are written.
    /// </summary>
    public IReadOnlyList<string> MergeSaved(SchemaDocument document)
    {
        var changed = new List<string>();
        var saved = document.ToColumns();
        foreach (var column in saved)
        {
            var i = IndexOf(column.Name);
            if (i < 0)
            {
                _columns.Add(column);
                _index[column.Name] = _columns.Count - 1;
            }
            else if (_columns[i].Type != column.Type)
            {
                _columns[i] = _columns[i] with { Type = column.Type };
                changed.Add(column.Name);
                TypeChanges++;
            }
        }

        _saved = saved;
        _savedNames = new HashSet<string>(saved.Select(c => c.Name), StringComparer.Ordinal);
        SavedVersion = document.Version;
        return changed;
    }

    /// <summary>Builds a schema from its saved form.</summary>
    public static TableSchema FromSaved(SchemaDocument document)
    {
        var schema = new TableSchema(document.Table);
        schema.MergeSaved(document);
        return schema;
    }
}
