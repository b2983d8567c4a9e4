namespace Streaming.Core.Schema;

/// <summary>A column of a table: its name, its type (fixed forever), and the schema version that added it.</summary>
public sealed record ColumnDefinition(string Name, ColumnType Type, int SinceVersion);
