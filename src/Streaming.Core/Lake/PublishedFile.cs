namespace Streaming.Core.Lake;

/// <summary>What publishing a <see cref="DueBuffer"/> did: the key, whether it created the object, the bytes, and values moved to <c>_rescued</c> when the buffer adopted the saved schema.</summary>
public sealed record PublishedFile(DueBuffer Buffer, string Key, PutOutcome Outcome, long Bytes, long RescuedOnSave);
