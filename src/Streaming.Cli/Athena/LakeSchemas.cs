using Streaming.Core.Lake;
using Streaming.Core.Schema;

namespace Streaming.Cli.Athena;

/// <summary>
/// Reads the latest schema version of every table from <c>_schemas/&lt;table&gt;/vNNNNN.json</c>. The versioned objects
/// are the record (immutable, created only if absent); <c>_schemas/&lt;table&gt;.json</c> is a convenience copy that a
/// crash can leave one version behind, so it is not read here.
/// </summary>
internal static class LakeSchemas
{
    /// <summary>The latest saved document of every table, by table name.</summary>
    public static async Task<IReadOnlyList<SchemaDocument>> ReadLatestAsync(ILakeStore store, CancellationToken cancellationToken)
    {
        var latest = new SortedDictionary<string, (int Version, string Key)>(StringComparer.Ordinal);
        await foreach (var key in store.ListAsync(LakePaths.SchemasPrefix + "/", cancellationToken).ConfigureAwait(false))
        {
            if (LakePaths.TryParseSchemaVersion(key, out var table, out var version)
                && (!latest.TryGetValue(table, out var seen) || seen.Version < version))
            {
                latest[table] = (version, key);
            }
        }

        var documents = new List<SchemaDocument>(latest.Count);
        foreach (var (table, (version, key)) in latest)
        {
            var bytes = await store.GetAsync(key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"schema {key} was listed but cannot be read");
            SchemaDocument document;
            try
            {
                document = SchemaDocument.Parse(bytes);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidDataException($"schema {key} is not a schema document: {e.Message}", e);
            }

            if (document.Table != table || document.Version != version)
            {
                throw new InvalidDataException($"schema {key} says table '{document.Table}' version {document.Version}");
            }

            documents.Add(document);
        }

        return documents;
    }
}
