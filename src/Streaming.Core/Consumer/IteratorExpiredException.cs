namespace Streaming.Core.Consumer;

/// <summary>The shard iterator is older than five minutes; get a new one.</summary>
public sealed class IteratorExpiredException(string message, Exception? inner = null) : Exception(message, inner);
