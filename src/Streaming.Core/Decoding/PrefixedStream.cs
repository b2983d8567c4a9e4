namespace Streaming.Core.Decoding;

/// <summary>A read-only stream that yields a few bytes already read, then the rest of the inner stream.</summary>
internal sealed class PrefixedStream : ReadOnlyStream
{
    private readonly byte[] _prefix;
    private int _position;

    public PrefixedStream(byte[] prefix, Stream inner)
        : base(inner)
    {
        _prefix = prefix;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_position < _prefix.Length)
        {
            var n = Math.Min(buffer.Length, _prefix.Length - _position);
            _prefix.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        return Inner.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < _prefix.Length)
        {
            return Read(buffer.Span);
        }

        return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

}
