namespace Streaming.Core.Lake;

/// <summary>A file about to be (or just) written: its partition (<c>table/hour</c> or <c>_errors/hour</c>), the run of events it holds, its key.</summary>
public sealed record FileIntent(string Partition, SourcePosition First, SourcePosition Last, string Key, long Rows);
