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

    public IReadOnlyCollection<TableSchema> Tables
    {
        get
        {
            lock (_tables)
            {
                return _tables.Values.ToList();
            }
        }
    }

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
            _tables[table] = TableSchema.FromSaved(await ReadVersionAsync(table, version, key, cancellationToken).ConfigureAwait(false));
        }
    }

    public TableSchema Get(string table)
    {
        lock (_tables)
        {
            if (!_tables.TryGetValue(table, out var schema))
            {
                schema = new TableSchema(table);
                _tables[table] = schema;
            }

            return schema;
        }
    }

    /// <summary>
    /// Saves the next version of <paramref name="schema"/> if it has columns not saved yet. When another
    /// writer (of this process or another) saved that version number first, its version is adopted (its types
    /// win) and the columns still missing from it are saved as the version after; buffers then convert what
    /// they hold to the adopted types (see <see cref="Buffers.PartitionBuffer"/>). Optimistic: no lock is held
    /// across the lake calls; the create-if-absent of each version number decides who saved it.
    /// </summary>
    public async Task SaveAsync(TableSchema schema, CancellationToken cancellationToken)
    {
        for (var attempt = 0; schema.HasUnsavedColumns; attempt++)
        {
            if (attempt == 20)
            {
                throw new SchemaConflictException($"could not save the schema of {schema.Table} after {attempt} attempts: other writers keep saving new versions");
            }

            var document = schema.NextVersion();
            var json = document.ToJson();
            var key = LakePaths.SchemaVersion(schema.Table, document.Version);
            if (await _store.PutIfAbsentAsync(key, json, null, cancellationToken).ConfigureAwait(false) == PutOutcome.Created)
            {
                schema.MarkSaved(document);
                if (schema.SavedVersion == document.Version)
                {
                    // The copy for tools; a later version saved meanwhile writes its own copy after this one.
                    await _store.PutAsync(LakePaths.LatestSchema(schema.Table), json, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            var newest = await NewestVersionAsync(schema.Table, cancellationToken).ConfigureAwait(false);
            schema.MergeSaved(await ReadVersionAsync(schema.Table, newest.Version, newest.Key, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task<(int Version, string Key)> NewestVersionAsync(string table, CancellationToken cancellationToken)
    {
        (int Version, string Key) newest = (0, string.Empty);
        await foreach (var key in _store.ListAsync($"{LakePaths.SchemasPrefix}/{table}/", cancellationToken).ConfigureAwait(false))
        {
            if (LakePaths.TryParseSchemaVersion(key, out var t, out var version) && t == table && version > newest.Version)
            {
                newest = (version, key);
            }
        }

        return newest.Version > 0 ? newest : throw new InvalidDataException($"no saved schema version of {table} can be listed");
    }

    private async Task<SchemaDocument> ReadVersionAsync(string table, int version, string key, CancellationToken cancellationToken)
    {
        var bytes = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"schema {key} was listed but cannot be read");
        var document = SchemaDocument.Parse(bytes);
        if (document.Table != table || document.Version != version)
        {
            throw new InvalidDataException($"schema {key} says table '{document.Table}' version {document.Version}");
        }

        return document;
    }
}
