using Streaming.Core.Backfill;

namespace Streaming.Core.Tests.Backfill;

/// <summary>An input held in memory; it can be told to fail its first opens with a transient error, or to vanish.</summary>
internal sealed class MemoryInput : IConvertInput
{
    private readonly byte[] _bytes;
    private int _failuresLeft;

    public MemoryInput(string name, byte[] bytes, int transientFailures = 0, string etag = "e1")
    {
        Name = name;
        _bytes = bytes;
        _failuresLeft = transientFailures;
        Identity = $"{name} etag {etag}";
    }

    public string Name { get; }

    public string? Identity { get; }

    public long? Length => _bytes.Length;

    public long ModifiedMs => 1_700_000_000_000;

    public bool CanSeek => true;

    public bool Vanished { get; set; }

    public int Opens { get; private set; }

    public Task<Stream> OpenAsync(long offset, CancellationToken cancellationToken)
    {
        Opens++;
        if (Vanished)
        {
            throw new InputUnreadableException(Name, "the object is gone");
        }

        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new TimeoutException("the server did not answer");
        }

        return Task.FromResult<Stream>(new MemoryStream(_bytes, (int)offset, _bytes.Length - (int)offset, writable: false));
    }
}
