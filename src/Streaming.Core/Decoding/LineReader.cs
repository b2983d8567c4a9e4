namespace Streaming.Core.Decoding;

/// <summary>
/// Reads newline-delimited lines from a stream without a string per line. A line longer than the limit is
/// still consumed whole; its first bytes are returned with <see cref="Line.Truncated"/> set so that the caller
/// can keep a record of it instead of silently losing it.
/// </summary>
public sealed class LineReader
{
    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private long _lineNumber;

    public LineReader(Stream stream, int maxLineBytes, int bufferBytes = 1 << 20)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[Math.Max(bufferBytes, 4096)];
    }

    /// <summary>Bytes consumed from the stream so far (after decompression).</summary>
    public long BytesRead { get; private set; }

    public bool TryRead(out Line line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _lineNumber++;
                line = new Line(_buffer.AsMemory(_start, newline), _lineNumber, false, newline);
                _start += newline + 1;
                return true;
            }

            if (_eof)
            {
                if (_end > _start)
                {
                    _lineNumber++;
                    line = new Line(_buffer.AsMemory(_start, _end - _start), _lineNumber, false, _end - _start);
                    _start = _end;
                    return true;
                }

                line = default;
                return false;
            }

            if (_end - _start >= _maxLineBytes)
            {
                line = ReadOversized();
                return true;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, (long)_buffer.Length * 2));
        }

        var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _eof = true;
        }

        _end += n;
        BytesRead += n;
    }

    /// <summary>Keeps the first <c>maxLineBytes</c> of a too-long line and skips to its end.</summary>
    private Line ReadOversized()
    {
        var kept = _buffer.AsSpan(_start, _maxLineBytes).ToArray();
        long length = _end - _start;
        _start = _end;
        while (true)
        {
            _start = 0;
            _end = 0;
            Fill();
            var newline = _buffer.AsSpan(0, _end).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                length += newline;
                _start = newline + 1;
                break;
            }

            length += _end;
            if (_eof)
            {
                _start = _end;
                break;
            }
        }

        _lineNumber++;
        return new Line(kept, _lineNumber, true, length);
    }

    /// <summary>One line, without its newline. <see cref="Bytes"/> is only valid until the next read.</summary>
    public readonly record struct Line(ReadOnlyMemory<byte> Bytes, long Number, bool Truncated, long Length);
}
