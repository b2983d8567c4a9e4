namespace Streaming.Cli.Athena;

/// <summary>A column as Athena declares it: its lake name, its DDL type, and the schema version that added it.</summary>
internal sealed record AthenaColumn(string Name, string Type, int Since);
