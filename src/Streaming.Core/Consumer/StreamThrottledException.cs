namespace Streaming.Core.Consumer;

/// <summary>The stream throttled the call; retry after a backoff.</summary>
public sealed class StreamThrottledException(string message, Exception? inner = null) : Exception(message, inner);
