using Microsoft.Extensions.Logging;

namespace Streaming.Cli.Commands;

internal static partial class ConvertLog
{
    [LoggerMessage(EventId = 810, Level = LogLevel.Warning, Message = "Listing {Uri} failed, trying again in {Delay}: {Error}")]
    public static partial void ListingRetried(ILogger logger, string uri, TimeSpan delay, string error);
}
