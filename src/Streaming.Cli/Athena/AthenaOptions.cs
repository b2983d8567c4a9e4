using System.Globalization;
using Streaming.Aws.Storage;

namespace Streaming.Cli.Athena;

/// <summary>How <c>streaming ddl</c> names and places the tables. Configuration section <c>Streaming:Athena</c>.</summary>
internal sealed class AthenaOptions
{
    public const string Section = "Streaming:Athena";

    /// <summary>The Athena (Glue) database; SQL names tables without one when unset, Terraform then uses <c>default</c>.</summary>
    public string? Database { get; set; }

    /// <summary>
    /// The S3 root the tables point at (<c>s3://bucket/prefix</c>). Required for a local lake (where it will be
    /// uploaded to); for an S3 lake it defaults to the lake's own root.
    /// </summary>
    public string? Location { get; set; }

    /// <summary>How many years past this year (or the lake's last year, if later) partition projection reaches.</summary>
    public int YearsAhead { get; set; } = 5;

    /// <summary>Checks every option; each message names the key and what would be right.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Database is not null && !AthenaNames.IsValidObjectName(Database))
        {
            errors.Add($"{Section}:Database (--database) is '{Database}'; an Athena database name is 1-255 of a-z, 0-9 and _ (for example analytics)");
        }

        if (Location is not null && LocationError(Location) is { } problem)
        {
            errors.Add($"{Section}:Location (--location) is '{Location}'; {problem}");
        }

        if (YearsAhead is < 0 or > 100)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}:YearsAhead (--years-ahead) is {YearsAhead}; it must be between 0 and 100 (for example 5)"));
        }

        return errors;
    }

    /// <summary>
    /// Why <paramref name="location"/> cannot be a table location, or null. Besides being an S3 URI, its prefix must
    /// hold only characters that need no escaping in an S3 key, a Hive string and a Terraform string alike.
    /// </summary>
    public static string? LocationError(string location)
    {
        if (!S3LakeLocation.TryParse(location, out var parsed))
        {
            return "it must be an S3 location, s3://bucket/prefix (for example s3://analytics-lake/events)";
        }

        return parsed.Prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '=' or '!' or '*' or '(' or ')')
            ? null
            : "Athena table locations here hold only letters, digits and / - _ . = ! * ( ) (no quotes, spaces, $ or %)";
    }
}
