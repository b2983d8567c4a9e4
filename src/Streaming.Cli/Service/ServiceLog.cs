using Microsoft.Extensions.Logging;

namespace Streaming.Cli.Service;

internal static partial class ServiceLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Worker {WorkerId} started")]
    public static partial void Started(ILogger logger, string workerId);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Worker {WorkerId} stopped")]
    public static partial void Stopped(ILogger logger, string workerId);
}
