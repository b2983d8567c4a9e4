namespace Streaming.Cli.Athena;

/// <summary>A column of a schema that the DDL leaves out, and why: said in the output, never dropped silently.</summary>
internal sealed record OmittedColumn(string Name, string Type, string Reason);
