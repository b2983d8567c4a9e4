using Microsoft.Extensions.Logging;

namespace Streaming.Aws.Kinesis.Internal;

internal static partial class KinesisLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Kinesis {Operation} attempt {Attempt} failed with {ErrorCode} ({Kind}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, string errorCode, KinesisErrorKind kind, long delayMs);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Kinesis {Operation} gave up after {Attempts} attempts: {ErrorCode} ({Kind})")]
    public static partial void GaveUp(ILogger logger, string operation, int attempts, string errorCode, KinesisErrorKind kind);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Kinesis client for region {Region} uses endpoint {Endpoint}")]
    public static partial void Resolved(ILogger logger, string region, Uri endpoint);
}
