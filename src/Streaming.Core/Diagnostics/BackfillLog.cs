using Microsoft.Extensions.Logging;

namespace Streaming.Core.Diagnostics;

internal static partial class BackfillLog
{
    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "{Source} is already in the lake (marker {Marker}); skipped")]
    public static partial void PieceSkipped(ILogger logger, string source, string marker);

    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Converted {Source}: {Events} events, {Files} files written, {Present} already present")]
    public static partial void PieceConverted(ILogger logger, string source, long events, long files, long present);

    [LoggerMessage(EventId = 802, Level = LogLevel.Error, Message = "Cannot convert {Source}: {Error}")]
    public static partial void PieceFailed(ILogger logger, string source, string error);

    [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "{Source} failed with a transient error, converting it again from its start in {Delay}: {Error}")]
    public static partial void PieceRetrying(ILogger logger, string source, TimeSpan delay, string error);
}
