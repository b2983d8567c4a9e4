namespace Streaming.Core.Events;

/// <summary>
/// What the naming rules make of one key path (for example <c>params → card → brand</c>). Computed once per
/// distinct path and cached, because the same few dozen paths repeat in every event.
/// </summary>
internal sealed class FieldPath
{
    private FieldPath(int id, FieldPath? parent, byte[] name, string[] segments, string column, string? paramsAlias, bool isParam, bool isValid)
    {
        Name = name;
        Id = id;
        Parent = parent;
        Segments = segments;
        Column = column;
        ParamsAlias = paramsAlias;
        IsParam = isParam;
        IsValid = isValid;
        Dotted = string.Join('.', segments);
    }

    /// <summary>Identifies the path within one normaliser (the key of its children in the path cache).</summary>
    public int Id { get; }

    public FieldPath? Parent { get; }

    /// <summary>The key as UTF-8 bytes, unescaped.</summary>
    public byte[] Name { get; }

    /// <summary>The child paths last seen at each key position of this object (see <see cref="PathCache"/>).</summary>
    public FieldPath?[] ChildSlots = new FieldPath?[4 * PathCache.Ways];

    /// <summary>The keys from the top of the event down to this one, as written.</summary>
    public string[] Segments { get; }

    /// <summary>The column this path goes to when nothing collides.</summary>
    public string Column { get; }

    /// <summary>Interned id of <see cref="Column"/>.</summary>
    public int ColumnId { get; private set; }

    /// <summary>For a <c>params</c> field: <c>params_&lt;column&gt;</c>, used when the plain name collides.</summary>
    public string? ParamsAlias { get; }

    public int AliasId { get; private set; } = -1;

    /// <summary>The original key path joined with dots, used when the value has to be rescued by name.</summary>
    public string Dotted { get; }

    public bool IsParam { get; }

    /// <summary>False when the key makes no usable column name (empty, or longer than Athena allows).</summary>
    public bool IsValid { get; }

    public static FieldPath Build(int id, FieldPath? parent, byte[] utf8Name, ColumnNameIds names)
    {
        var name = System.Text.Encoding.UTF8.GetString(utf8Name);
        string[] segments = parent is null ? [name] : [.. parent.Segments, name];
        var isParam = segments.Length > 1 && segments[0] == "params";
        var nameSegments = isParam ? segments.AsSpan(1) : segments.AsSpan();
        var parts = new string[nameSegments.Length];
        for (var i = 0; i < nameSegments.Length; i++)
        {
            parts[i] = ColumnNames.Normalize(nameSegments[i]);
        }

        var column = string.Join('_', parts);
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
        var path = new FieldPath(id, parent, utf8Name, segments, column, alias, isParam, valid);
        if (valid)
        {
            path.ColumnId = names.Intern(column);
            path.AliasId = alias is null ? -1 : names.Intern(alias);
        }

        return path;
    }
}
