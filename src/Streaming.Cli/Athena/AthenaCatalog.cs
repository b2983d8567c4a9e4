using Streaming.Core.Lake;
using Streaming.Core.Schema;

namespace Streaming.Cli.Athena;

/// <summary>Describes the lake's tables for Athena: schemas from <c>_schemas/</c>, years from the data folders.</summary>
internal static class AthenaCatalog
{
    /// <summary>
    /// The tables named in <paramref name="only"/> (all when empty), each located under <paramref name="root"/>
    /// (<c>s3://bucket/prefix</c>, no trailing slash). Projection spans the table's first year to
    /// <paramref name="yearsAhead"/> past the later of this year and its last year, so every partition in the lake
    /// lies inside it and so does the data of the next few years.
    /// </summary>
    public static async Task<IReadOnlyList<AthenaTable>> DescribeAsync(
        ILakeStore store,
        IReadOnlyCollection<string> only,
        string root,
        int yearsAhead,
        int currentYear,
        CancellationToken cancellationToken)
    {
        var documents = await LakeSchemas.ReadLatestAsync(store, cancellationToken).ConfigureAwait(false);
        var missing = only.Where(t => documents.All(d => d.Table != t)).ToList();
        if (missing.Count > 0)
        {
            throw new UnknownTableException(missing, documents.Select(d => d.Table).ToList());
        }

        var tables = new List<AthenaTable>();
        foreach (var document in documents.Where(d => only.Count == 0 || only.Contains(d.Table)))
        {
            var years = await PartitionYears.FindAsync(store, document.Table, cancellationToken).ConfigureAwait(false);
            var first = years?.First ?? currentYear;
            var last = Math.Max(currentYear, years?.Last ?? currentYear) + yearsAhead;
            var (columns, omitted) = Columns(document);
            tables.Add(new AthenaTable(document.Table, document.Version, columns, omitted, $"{root}/{document.Table}/", new YearRange(first, last)));
        }

        return tables;
    }

    /// <summary>The columns Athena can hold, in the schema's order, and the others with the reason.</summary>
    internal static (IReadOnlyList<AthenaColumn> Columns, IReadOnlyList<OmittedColumn> Omitted) Columns(SchemaDocument document)
    {
        var columns = new List<AthenaColumn>();
        var omitted = new List<OmittedColumn>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in document.Columns)
        {
            var reason = AthenaNames.WhyNotAColumn(column.Name, column.Type)
                ?? (seen.Contains(column.Name) ? "an earlier column of the schema has the same name" : null);
            if (reason is null)
            {
                seen.Add(column.Name);
                columns.Add(new AthenaColumn(column.Name, column.Type, column.Since));
            }
            else
            {
                omitted.Add(new OmittedColumn(column.Name, column.Type, reason));
            }
        }

        return (columns, omitted);
    }
}
