using System.Globalization;
using Streaming.Core.Events;
using Streaming.Core.Schema;

namespace Streaming.Cli.Athena;

/// <summary>
/// How a lake name is written in Athena DDL, and which names Athena cannot hold. Athena's DDL runs on Hive: a
/// reserved word used as a name must be quoted with backticks, and so must a name that starts with an underscore
/// or a digit (the lake's own <c>_rescued</c> and <c>_date_raw</c>). In queries (Trino) the quote is <c>"</c>.
/// </summary>
internal static class AthenaNames
{
    /// <summary>Glue keeps names of at most this many characters.</summary>
    public const int MaxLength = 255;

    /// <summary>
    /// Athena's documented list of words reserved in DDL (including its spelling CASHE), plus the words the Hive 4
    /// grammar that the tests parse the DDL with also reserves (ANY, EXCEPT, QUALIFY, REAL, UNIQUE...). Quoting a
    /// word that did not need it is harmless; leaving a reserved one bare fails the whole statement.
    /// </summary>
    private static readonly HashSet<string> ReservedInDdl = new(StringComparer.Ordinal)
    {
        "all", "alter", "and", "anti", "any", "application", "array", "as", "authorization", "between", "bigint",
        "binary", "boolean", "both", "by", "cache", "case", "cashe", "cast", "char", "column", "commit",
        "compactionid", "conf", "connector", "connectors", "constraint", "create", "cross", "cube", "current",
        "current_date", "current_timestamp", "cursor", "database", "date", "dayofweek", "ddl", "dec", "decimal",
        "delete", "describe", "distinct", "div", "double", "drop", "else", "end", "except", "exchange", "exists",
        "extended", "external", "extract", "false", "fetch", "float", "floor", "following", "for", "force",
        "foreign", "from", "full", "function", "grant", "group", "grouping", "having", "if", "import", "in",
        "inner", "insert", "int", "integer", "intersect", "interval", "into", "is", "join", "lateral", "leading",
        "left", "less", "like", "local", "macro", "map", "merge", "minus", "more", "none", "not", "null",
        "numeric", "of", "on", "only", "or", "order", "out", "outer", "over", "partialscan", "partition",
        "percent", "pkfk_join", "preceding", "precision", "prepare", "preserve", "primary", "procedure",
        "qualify", "range", "reads", "real", "recover", "reduce", "references", "regexp", "revoke", "right",
        "rlike", "rollback", "rollup", "row", "rows", "select", "set", "smallint", "some", "start", "sync",
        "table", "tablesample", "then", "time", "timestamp", "timestamplocaltz", "to", "trailing", "transform",
        "trigger", "true", "truncate", "unbounded", "union", "unique", "uniquejoin", "update", "user", "using",
        "utc_timestamp", "values", "varchar", "views", "when", "where", "window", "with",
    };

    /// <summary>The partition columns every table of the lake has; no data column may take their names.</summary>
    public static IReadOnlyList<string> PartitionColumns { get; } = ["year", "month", "day", "hour"];

    /// <summary>The name as DDL must write it: bare when it can be, in backticks when it must be.</summary>
    public static string Ddl(string name) => NeedsQuotes(name) ? $"`{name}`" : name;

    public static bool NeedsQuotes(string name) =>
        ReservedInDdl.Contains(name) || name.Length == 0 || name[0] == '_' || char.IsAsciiDigit(name[0]);

    /// <summary>
    /// Why Athena cannot have a column of this name and type, or null when it can. Schemas written by the lake never
    /// hit these; a schema edited by hand, or written by another tool, may.
    /// </summary>
    public static string? WhyNotAColumn(string name, string type)
    {
        if (name.Length == 0)
        {
            return "a column needs a name";
        }

        if (name.Length > MaxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Athena keeps names of at most {MaxLength} characters and this one has {name.Length}");
        }

        if (!ColumnNames.IsValid(name))
        {
            return "Athena lower-cases names and matches Parquet columns by that name, so only a-z, 0-9 and _ can be read back";
        }

        if (PartitionColumns.Contains(name))
        {
            return "it is the name of a partition column, which Athena fills from the path";
        }

        if (!ColumnTypeNames.TryParse(type, out _))
        {
            return $"its type '{type}' is not one the lake writes (string, bigint, double, boolean, timestamp)";
        }

        return null;
    }

    /// <summary>A table or database name Athena can hold: lower-case letters, digits and underscores.</summary>
    public static bool IsValidObjectName(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
