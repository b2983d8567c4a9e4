namespace Streaming.Core.Schema;

/// <summary>Column types of the lake, as Athena sees them.</summary>
public enum ColumnType
{
    /// <summary>VARCHAR: UTF-8 BYTE_ARRAY.</summary>
    String,

    /// <summary>BIGINT: INT64.</summary>
    Int64,

    /// <summary>DOUBLE.</summary>
    Double,

    /// <summary>BOOLEAN.</summary>
    Boolean,

    /// <summary>TIMESTAMP: INT64, millisecond unit, adjusted to UTC.</summary>
    Timestamp,
}

public static class ColumnTypeNames
{
    public static string Name(this ColumnType type) => type switch
    {
        ColumnType.String => "string",
        ColumnType.Int64 => "bigint",
        ColumnType.Double => "double",
        ColumnType.Boolean => "boolean",
        ColumnType.Timestamp => "timestamp",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static bool TryParse(string name, out ColumnType type)
    {
        switch (name)
        {
            case "string": type = ColumnType.String; return true;
            case "bigint": type = ColumnType.Int64; return true;
            case "double": type = ColumnType.Double; return true;
            case "boolean": type = ColumnType.Boolean; return true;
            case "timestamp": type = ColumnType.Timestamp; return true;
            default: type = default; return false;
        }
    }
}
