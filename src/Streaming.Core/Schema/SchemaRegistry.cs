using Streaming.Core.Lake;

namespace Streaming.Core.Schema;

/// <summary>
/// The schemas of all tables of a lake. Each saved version is an immutable object
/// <c>_schemas/&lt;table&gt;/vNNNNN.json</c>, created only if absent; <c>_schemas/&lt;table&gt;.json</c> is a
/// copy of the latest for tools. A schema is saved before the first file that uses its new columns.
/// </summary>
public sealed class SchemaRegistry
{
    private readonly ILakeStore _store;
    private readonly Dictionary<string, TableSchema> _tables = new(StringComparer.Ordinal);

    public SchemaRegistry(ILakeStore store)
    {
        _store = store;
    }

    public IReadOnlyCollection<TableSchema> Tables => _tables.Values;

    /// <summary>Loads the latest saved version of every table.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var latest = new Dictionary<string, (int Version, string Key)>(StringComparer.Ordinal);
        await foreach (var key in _store.ListAsync(LakePaths.SchemasPrefix + "/", cancellationToken).ConfigureAwait(false))
        {
            if (LakePaths.TryParseSchemaVersion(key, out var table, out var version)
                && (!latest.TryGetValue(table, out var seen) || seen.Version < version))
            {
                latest[table] = (version, key);
            }
        }

        foreach (var (table, (version, key)) in latest)
        {
            var bytes = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"schema {key} was listed but cannot be read");
            var document = SchemaDocument.Parse(bytes);
            if (document.Table != table || document.Version != version)
            {
                throw new InvalidDataException($"schema {key} says table '{document.Table}' version {document.Version}");
            }

            _tables[table] = document.ToSchema();
        }
    }

    public TableSchema Get(string table)
    {
        if (!_tables.TryGetValue(table, out var schema))
        {
            schema = new TableSchema(table);
            _tables[table] = schema;
        }

        return schema;
    }

    /// <summary>Saves the next version of <paramref name="schema"/> if it has columns not saved yet.</summary>
    public async Task SaveAsync(TableSchema schema, CancellationToken cancellationToken)
    {
        if (!schema.HasUnsavedColumns)
        {
            return;
        }

        var version = schema.SavedVersion + 1;
        var json = SchemaDocument.From(schema, version).ToJson();
        var key = LakePaths.SchemaVersion(schema.Table, version);
        if (await _store.PutIfAbsentAsync(key, json, null, cancellationToken).ConfigureAwait(false) == PutOutcome.AlreadyExists)
        {
            var existing = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (existing is null || !existing.AsSpan().SequenceEqual(json))
            {
                throw new SchemaConflictException(
                    $"schema {key} was written by another writer with different columns; the lake has two writers for table {schema.Table} that disagree");
            }
        }

        await _store.PutAsync(LakePaths.LatestSchema(schema.Table), json, cancellationToken).ConfigureAwait(false);
        schema.MarkSaved(version);
    }
}
