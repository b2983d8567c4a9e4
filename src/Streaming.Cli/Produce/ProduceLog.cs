using Microsoft.Extensions.Logging;

namespace Streaming.Cli.Produce;

internal static partial class ProduceLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Aggregating for {ShardCount} open shards of {StreamName}")]
    public static partial void ShardsLoaded(ILogger logger, int shardCount, string streamName);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "PutRecords attempt {Attempt}: {Failed} of {Sent} records failed ({ErrorCode}); resending them in {DelayMs} ms")]
    public static partial void Resending(ILogger logger, int attempt, int failed, int sent, string errorCode, long delayMs);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Event {Event} is {Bytes} bytes with its partition key; a Kinesis record holds at most {Limit}: not sent")]
    public static partial void TooLarge(ILogger logger, long @event, long bytes, int limit);
}
