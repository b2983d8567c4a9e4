namespace Streaming.Core.Events;

/// <summary>
/// What the naming rules make of one key path (for example <c>params → card → brand</c>). Computed once per
/// distinct path and cached, because the same few dozen paths repeat in every event.
/// </summary>
internal sealed class FieldPath
{
    private FieldPath(string column, string? paramsAlias, string dotted, bool isParam, bool isValid)
    {
        Column = column;
        ParamsAlias = paramsAlias;
        Dotted = dotted;
        IsParam = isParam;
        IsValid = isValid;
    }

    /// <summary>The column this path goes to when nothing collides.</summary>
    public string Column { get; }

    /// <summary>For a <c>params</c> field: <c>params_&lt;column&gt;</c>, used when the plain name collides.</summary>
    public string? ParamsAlias { get; }

    /// <summary>The original key path joined with dots, used when the value has to be rescued by name.</summary>
    public string Dotted { get; }

    public bool IsParam { get; }

    /// <summary>False when the key makes no usable column name (empty, or longer than Athena allows).</summary>
    public bool IsValid { get; }

    public const char Separator = '\u0001';

    public static FieldPath Build(ReadOnlySpan<char> path)
    {
        var segments = path.ToString().Split(Separator);
        var isParam = segments.Length > 1 && segments[0] == "params";
        var nameSegments = isParam ? segments.AsSpan(1) : segments.AsSpan();
        var parts = new string[nameSegments.Length];
        for (var i = 0; i < nameSegments.Length; i++)
        {
            parts[i] = ColumnNames.Normalize(nameSegments[i]);
        }

        var column = string.Join('_', parts);
        var dotted = string.Join('.', segments);
        string? alias = null;
        if (isParam)
        {
            alias = "params_" + column;
            if (ColumnNames.Reserved.Contains(column) || ColumnNames.ContractFields.Contains(column))
            {
                column = alias;
            }
        }
        else if (ColumnNames.Reserved.Contains(column))
        {
            column += "_";
        }

        var valid = column.Length is > 0 and <= ColumnNames.MaxLength
            && (alias is null || alias.Length <= ColumnNames.MaxLength)
            && parts.All(p => p.Length > 0);
        return new FieldPath(column, alias, dotted, isParam, valid);
    }
}
