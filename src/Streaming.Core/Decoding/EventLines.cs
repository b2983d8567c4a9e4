namespace Streaming.Core.Decoding;

/// <summary>
/// The non-blank lines of a decoded payload, one at a time, trimmed (<see cref="PayloadDecoder.TrimLine"/>): a
/// struct walked in place, so splitting a record costs no allocation on the consumer's per-record path.
/// </summary>
public struct EventLines
{
    private ReadOnlyMemory<byte> _rest;

    public EventLines(ReadOnlyMemory<byte> text)
    {
        _rest = text;
        Index = -1;
    }

    /// <summary>The index of the current line among the non-blank lines, from 0.</summary>
    public int Index { get; private set; }

    public bool MoveNext(out ReadOnlyMemory<byte> line)
    {
        while (!_rest.IsEmpty)
        {
            var newline = _rest.Span.IndexOf((byte)'\n');
            line = PayloadDecoder.TrimLine(newline < 0 ? _rest : _rest[..newline]);
            _rest = newline < 0 ? ReadOnlyMemory<byte>.Empty : _rest[(newline + 1)..];
            if (!line.IsEmpty)
            {
                Index++;
                return true;
            }
        }

        line = default;
        return false;
    }
}
