namespace Streaming.Core.Schema;

/// <summary>
/// The columns of one table, shared by every writer of a process (one per shard) and safe for them to use at
/// once. Locally, columns keep the index they got when first seen (buffers are arrays by that index); indexes
/// never change, only a pending column's type may. Separately it knows what the lake has saved: the latest
/// version and its columns. A saved column's type is fixed forever; columns seen here but not saved yet are
/// pending and go into the next version. When another writer saved first, <see cref="MergeSaved"/> adopts
/// its types.
/// </summary>
/// <remarks>
/// Writes take a lock held only for in-memory work, never across I/O. Readers get an immutable snapshot of
/// the columns (<see cref="Columns"/>), so an encoder or a buffer reads them without locking. This type keeps
/// no cache keyed by ids that mean something only inside one writer (a normaliser's name ids): those live in
/// the writer (<see cref="Buffers.ColumnIndexCache"/>).
/// </remarks>
public sealed class TableSchema
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private ColumnDefinition[] _columns = [];
    private List<ColumnDefinition> _saved = [];
    private HashSet<string> _savedNames = new(StringComparer.Ordinal);
    private int _typeChanges;
    private int _savedVersion;

    public TableSchema(string table)
    {
        Table = table;
    }

    public string Table { get; }

    /// <summary>The version saved in the lake; 0 when nothing was saved yet.</summary>
    public int SavedVersion => Volatile.Read(ref _savedVersion);

    /// <summary>The columns of <see cref="SavedVersion"/>, in the lake's order.</summary>
    public IReadOnlyList<ColumnDefinition> SavedColumns
    {
        get
        {
            lock (_gate)
            {
                return _saved;
            }
        }
    }

    public bool HasUnsavedColumns
    {
        get
        {
            lock (_gate)
            {
                return _columns.Length > _savedNames.Count || _columns.Any(c => !_savedNames.Contains(c.Name));
            }
        }
    }

    /// <summary>Every column known here, by local index: an immutable snapshot.</summary>
    public IReadOnlyList<ColumnDefinition> Columns => Volatile.Read(ref _columns);

    public int Count => Volatile.Read(ref _columns).Length;

    /// <summary>Bumped whenever an existing column changes type, so buffers re-check their columns only then.</summary>
    public int TypeChanges => Volatile.Read(ref _typeChanges);

    public ColumnDefinition this[int index] => Volatile.Read(ref _columns)[index];

    public int IndexOf(string name)
    {
        lock (_gate)
        {
            return _index.TryGetValue(name, out var i) ? i : -1;
        }
    }

    public bool IsSaved(string name)
    {
        lock (_gate)
        {
            return _savedNames.Contains(name);
        }
    }

    /// <summary>Adds a column seen for the first time; it belongs to the next saved version.</summary>
    public int Add(string name, ColumnType type)
    {
        lock (_gate)
        {
            if (_index.ContainsKey(name))
            {
                throw new InvalidOperationException($"column {name} already exists in {Table}");
            }

            return AddLocked(new ColumnDefinition(name, type, _savedVersion + 1));
        }
    }

    /// <summary>
    /// The index of <paramref name="name"/>, adding it with <paramref name="type"/> when no writer has seen it
    /// yet (another writer may add it first: then its type stands). Returns -1 when the table already has
    /// <paramref name="maxColumns"/> columns and the name is new.
    /// </summary>
    public int GetOrAdd(string name, ColumnType type, int maxColumns = int.MaxValue)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(name, out var i))
            {
                return i;
            }

            return _columns.Length >= maxColumns ? -1 : AddLocked(new ColumnDefinition(name, type, _savedVersion + 1));
        }
    }

    private int AddLocked(ColumnDefinition column)
    {
        var next = new ColumnDefinition[_columns.Length + 1];
        _columns.CopyTo(next, 0);
        next[^1] = column;
        _index[column.Name] = next.Length - 1;
        Volatile.Write(ref _columns, next);
        return next.Length - 1;
    }

    private void ReplaceLocked(int index, ColumnDefinition column)
    {
        var next = (ColumnDefinition[])_columns.Clone();
        next[index] = column;
        Volatile.Write(ref _columns, next);
        Interlocked.Increment(ref _typeChanges);
    }

    /// <summary>
    /// Widens a column from BIGINT to DOUBLE while it is not saved yet: producers often write <c>1200</c> for a
    /// price that is <c>9.99</c> elsewhere. Once saved, a type is fixed forever (Athena cannot read BIGINT in
    /// one file and DOUBLE in another), so this returns false. True also when it is a DOUBLE already.
    /// </summary>
    public bool TryWidenToDouble(int index)
    {
        lock (_gate)
        {
            var column = _columns[index];
            if (column.Type == ColumnType.Double)
            {
                return true;
            }

            if (_savedNames.Contains(column.Name) || column.Type != ColumnType.Int64)
            {
                return false;
            }

            ReplaceLocked(index, column with { Type = ColumnType.Double });
            return true;
        }
    }

    /// <summary>The document of the next version: the saved columns in their order, then the pending ones.</summary>
    public SchemaDocument NextVersion()
    {
        lock (_gate)
        {
            var version = _savedVersion + 1;
            var columns = _saved.Concat(_columns.Where(c => !_savedNames.Contains(c.Name)).Select(c => c with { SinceVersion = version })).ToList();
            return SchemaDocument.From(Table, version, columns);
        }
    }

    /// <summary>Records that <paramref name="document"/> is now saved in the lake.</summary>
    public void MarkSaved(SchemaDocument document) => MergeSaved(document);

    /// <summary>
    /// Adopts a version saved in the lake (by this writer or another): its columns and their types win.
    /// Local columns it lacks stay pending. A version older than the one already adopted changes nothing
    /// (two writers of one process may save one after the other and report back in either order). Returns
    /// the local columns whose type changed, which buffers must convert before they are written.
    /// </summary>
    public IReadOnlyList<string> MergeSaved(SchemaDocument document)
    {
        lock (_gate)
        {
            if (document.Version <= _savedVersion)
            {
                return [];
            }

            var changed = new List<string>();
            var saved = document.ToColumns();
            foreach (var column in saved)
            {
                if (!_index.TryGetValue(column.Name, out var i))
                {
                    AddLocked(column);
                }
                else if (_columns[i].Type != column.Type)
                {
                    ReplaceLocked(i, _columns[i] with { Type = column.Type });
                    changed.Add(column.Name);
                }
            }

            _saved = saved;
            _savedNames = new HashSet<string>(saved.Select(c => c.Name), StringComparer.Ordinal);
            Volatile.Write(ref _savedVersion, document.Version);
            return changed;
        }
    }

    /// <summary>Builds a schema from its saved form.</summary>
    public static TableSchema FromSaved(SchemaDocument document)
    {
        var schema = new TableSchema(document.Table);
        schema.MergeSaved(document);
        return schema;
    }
}
