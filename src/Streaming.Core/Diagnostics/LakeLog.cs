using Microsoft.Extensions.Logging;
using Streaming.Core.Lake;

namespace Streaming.Core.Diagnostics;

internal static partial class LakeLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Wrote {Rows} rows to {Key} ({Bytes} bytes, {Reason})")]
    public static partial void FileWritten(ILogger logger, long rows, string key, long bytes, FlushReason reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Key} is already in the lake with the same content; {Rows} rows not written again")]
    public static partial void FileAlreadyPresent(ILogger logger, string key, long rows);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Kept {Count} rejected events in {Key}")]
    public static partial void ErrorsWritten(ILogger logger, int count, string key);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Saved schema {Table} version {Version} with {Columns} columns")]
    public static partial void SchemaSaved(ILogger logger, string table, int version, int columns);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "Rejected event from {Source}: {Reason} {Message}")]
    public static partial void Rejected(ILogger logger, string source, string reason, string message);
}
