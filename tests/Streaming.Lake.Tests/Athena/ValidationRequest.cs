namespace Streaming.Lake.Tests.Athena;

/// <summary>A text for tools/sql-validators/validate.mjs: <c>hive</c>, <c>trino</c> or <c>hcl</c>.</summary>
internal sealed record ValidationRequest(string Kind, string Name, string Text);
