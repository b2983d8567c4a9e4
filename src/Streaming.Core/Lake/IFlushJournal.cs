namespace Streaming.Core.Lake;

/// <summary>
/// Told before and after each file is written, so that a stream consumer can record its intent and its
/// progress next to its checkpoint (docs/exactly-once.md). Throwing from <see cref="BeforeWriteAsync"/>
/// (for example because the lease was lost) stops the write.
/// </summary>
public interface IFlushJournal
{
    Task BeforeWriteAsync(FileIntent intent, CancellationToken cancellationToken);

    Task AfterWriteAsync(FileIntent intent, CancellationToken cancellationToken);
}
