namespace Streaming.EndToEnd.Tests;

/// <summary>Rows in the tables of a lake, and events kept in its <c>_errors</c>.</summary>
internal sealed record LakeTotals(long Rows, long Rejected);
