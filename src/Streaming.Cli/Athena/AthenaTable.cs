using System.Globalization;

namespace Streaming.Cli.Athena;

/// <summary>
/// One lake table as Athena should see it: the columns of its latest schema version in the lake's order, the S3
/// folder it lives in, and the years its partition projection spans. Both the DDL and the Terraform come from this.
/// </summary>
internal sealed record AthenaTable(
    string Name,
    int Version,
    IReadOnlyList<AthenaColumn> Columns,
    IReadOnlyList<OmittedColumn> Omitted,
    string Location,
    YearRange Years)
{
    /// <summary>The custom table property that records which schema version the table was made from.</summary>
    public const string VersionProperty = "streaming.schema_version";

    /// <summary>
    /// Where Athena finds the files of one partition. Athena fills <c>${year}</c> and the others from the projected
    /// values; month, day and hour are formatted with two digits, as the writer names the folders.
    /// </summary>
    public string LocationTemplate => Location + "year=${year}/month=${month}/day=${day}/hour=${hour}/";

    /// <summary>
    /// The table properties, in the order they are printed: partition projection (so Athena computes the partitions
    /// from the query instead of reading them from the catalog, and nobody runs MSCK REPAIR or ADD PARTITION), then
    /// the schema version.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties =>
    [
        new("projection.enabled", "true"),
        new("projection.year.type", "integer"),
        new("projection.year.range", string.Create(CultureInfo.InvariantCulture, $"{Years.First},{Years.Last}")),
        new("projection.month.type", "integer"),
        new("projection.month.range", "1,12"),
        new("projection.month.digits", "2"),
        new("projection.day.type", "integer"),
        new("projection.day.range", "1,31"),
        new("projection.day.digits", "2"),
        new("projection.hour.type", "integer"),
        new("projection.hour.range", "0,23"),
        new("projection.hour.digits", "2"),
        new("storage.location.template", LocationTemplate),
        new(VersionProperty, Version.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>The columns a schema version after <paramref name="version"/> added, in the lake's order.</summary>
    public IReadOnlyList<AthenaColumn> AddedAfter(int version) => [.. Columns.Where(c => c.Since > version)];
}
