using Streaming.Core.Decoding;

namespace Streaming.Core.Backfill;

/// <summary>Passes reads through and reports how many stored bytes went by (progress counts what was fetched, compressed or not).</summary>
internal sealed class CountingStream : ReadOnlyStream
{
    private readonly Action<long> _onRead;

    public CountingStream(Stream inner, Action<long> onRead)
        : base(inner)
    {
        _onRead = onRead;
    }

    public override int Read(Span<byte> buffer)
    {
        var n = Inner.Read(buffer);
        _onRead(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _onRead(n);
        return n;
    }

}
