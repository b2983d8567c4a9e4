namespace Streaming.Core.Consumer;

/// <summary>The shard no longer exists (trimmed past retention, or the stream was deleted): there is nothing left to read.</summary>
public sealed class ShardGoneException(string message, Exception? inner = null) : Exception(message, inner);
