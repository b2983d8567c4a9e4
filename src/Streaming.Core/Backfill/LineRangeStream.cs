using Streaming.Core.Decoding;

namespace Streaming.Core.Backfill;

/// <summary>
/// The lines of a byte range: those that start in [start, end). Wraps a stream opened at <c>max(0, start - 1)</c>:
/// skips the rest of the line the range opens in (the previous range reads it to its end), then passes bytes
/// through up to <c>end</c> and on to the end of the line in progress there. Every line of the input thus belongs
/// to exactly one range, whatever the range size, and a range that opens inside a line longer than itself is empty.
/// </summary>
internal sealed class LineRangeStream : ReadOnlyStream
{
    private readonly long _end;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _bufferStart;
    private int _bufferEnd;
    private long _position;
    private bool _skipping;
    private bool _atLineStart;
    private bool _done;

    /// <param name="inner">The stored bytes from <c>max(0, start - 1)</c> on.</param>
    public LineRangeStream(Stream inner, long start, long end)
        : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        _end = end;

        // A range that starts after byte 0 looks at the byte before it: a newline there means a line starts at `start`.
        _position = Math.Max(0, start - 1);
        _skipping = start > 0;
        _atLineStart = start == 0;
    }

    public override int Read(Span<byte> destination)
    {
        while (!_done && destination.Length > 0)
        {
            if (_bufferStart == _bufferEnd)
            {
                _bufferStart = 0;
                _bufferEnd = Inner.Read(_buffer);
                if (_bufferEnd == 0)
                {
                    _done = true;
                    break;
                }
            }

            var available = _buffer.AsSpan(_bufferStart, _bufferEnd - _bufferStart);
            if (_skipping)
            {
                var newline = available.IndexOf((byte)'\n');
                var skipped = newline < 0 ? available.Length : newline + 1;
                _position += skipped;
                _bufferStart += skipped;
                _skipping = newline < 0;
                _atLineStart = !_skipping;
                continue;
            }

            if (_position >= _end && _atLineStart)
            {
                _done = true;
                break;
            }

            int take;
            if (_position < _end)
            {
                take = (int)Math.Min(available.Length, _end - _position);
            }
            else
            {
                var newline = available.IndexOf((byte)'\n');
                take = newline < 0 ? available.Length : newline + 1;
            }

            take = Math.Min(take, destination.Length);
            available[..take].CopyTo(destination);
            _position += take;
            _bufferStart += take;
            _atLineStart = destination[take - 1] == (byte)'\n';
            return take;
        }

        return 0;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The inner stream may be a network stream: refill asynchronously, then serve from memory.
        if (!_done && _bufferStart == _bufferEnd)
        {
            _bufferStart = 0;
            _bufferEnd = await Inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            if (_bufferEnd == 0)
            {
                _done = true;
                return 0;
            }
        }

        return Read(buffer.Span);
    }

}
