using Microsoft.Extensions.Logging;

namespace Streaming.Aws.Leases.Internal;

internal static partial class LeaseStoreLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Debug, Message = "Lease table {TableName} exists and is {Status}")]
    public static partial void TableFound(ILogger logger, string tableName, string status);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Creating lease table {TableName} (on-demand billing)")]
    public static partial void CreatingTable(ILogger logger, string tableName);

    [LoggerMessage(EventId = 402, Level = LogLevel.Debug, Message = "Lease table {TableName} is being created by someone else; waiting for it")]
    public static partial void CreatedConcurrently(ILogger logger, string tableName);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Lease table {TableName} is ACTIVE after {ElapsedMs} ms")]
    public static partial void TableActive(ILogger logger, string tableName, long elapsedMs);

    [LoggerMessage(EventId = 404, Level = LogLevel.Debug, Message = "Lease {ShardId}: {Operation} lost, the counter is no longer {Counter} or the owner changed")]
    public static partial void WriteLost(ILogger logger, string shardId, string operation, long counter);
}
