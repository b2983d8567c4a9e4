using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Streaming.Core.Events;

/// <summary>
/// A scanner for the events nearly every producer writes: one object of objects, strings, numbers and
/// literals, plain keys. It fills the event exactly as the <see cref="Utf8JsonReader"/> path does, at a
/// fraction of the cost, and gives up (returns false) on anything else: arrays, escaped keys, surrogate
/// escapes, a <c>type</c> or <c>date</c> that is not a plain string, deep nesting, and every kind of invalid
/// JSON. The caller then starts over with the reader, which decides and words any rejection, so the fast
/// path never changes what is accepted or how an event is read.
/// </summary>
public sealed partial class EventNormalizer
{
    /// <summary>Well under <see cref="MaxDepth"/>: deeper input goes to the reader, which enforces the limit.</summary>
    private const int FastPathMaxDepth = 32;

    /// <summary>1 for the bytes that end the plain part of a JSON string: quote, backslash and control characters.</summary>
    private static ReadOnlySpan<byte> StringStops =>
    [
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    /// <summary>Reads the whole event; false means "not sure", never "invalid".</summary>
    private bool TryReadFast(ReadOnlySpan<byte> json, NormalizedEvent ev, ref ParseState state)
    {
        var pos = SkipSpace(json, 0);
        if (pos >= json.Length || json[pos] != (byte)'{')
        {
            return false;
        }

        if (!TryReadObjectFast(json, ref pos, ev, null, ref state, 1))
        {
            return false;
        }

        return SkipSpace(json, pos) == json.Length;
    }

    /// <summary>Reads the object whose '{' is at <paramref name="pos"/>; leaves <paramref name="pos"/> after its '}'.</summary>
    private bool TryReadObjectFast(ReadOnlySpan<byte> json, ref int pos, NormalizedEvent ev, FieldPath? parent, ref ParseState state, int depth)
    {
        if (depth > FastPathMaxDepth)
        {
            return false;
        }

        var topLevel = parent is null;
        var ordinal = 0;
        pos = SkipSpace(json, pos + 1);
        if (pos < json.Length && json[pos] == (byte)'}')
        {
            pos++;
            return true;
        }

        while (true)
        {
            if (pos >= json.Length || json[pos] != (byte)'"')
            {
                return false;
            }

            var nameStart = pos + 1;
            var nameEnd = PlainStringEnd(json, nameStart);
            if (nameEnd < 0 || json[nameEnd] != (byte)'"')
            {
                return false;
            }

            var name = json[nameStart..nameEnd];
            pos = SkipSpace(json, nameEnd + 1);
            if (pos >= json.Length || json[pos] != (byte)':')
            {
                return false;
            }

            pos = SkipSpace(json, pos + 1);
            if (pos >= json.Length)
            {
                return false;
            }

            var first = json[pos];
            if (topLevel && !state.HasDate && name.SequenceEqual("date"u8))
            {
                if (first != (byte)'"' || !TryReadDateFast(json, ref pos, ev, ref state))
                {
                    return false;
                }
            }
            else
            {
                if (topLevel && !state.HasType && name.SequenceEqual("type"u8))
                {
                    if (first != (byte)'"')
                    {
                        return false;
                    }

                    var typeEnd = PlainStringEnd(json, pos + 1);
                    if (typeEnd < 0 || json[typeEnd] != (byte)'"' || typeEnd - pos - 1 > TableNames.MaxLength * 4)
                    {
                        return false;
                    }

                    state.HasType = true;
                    state.Table = ResolveTable(json[(pos + 1)..typeEnd], ref state);
                }

                var path = _paths.Resolve(parent, name, ordinal++);
                if (first == (byte)'{')
                {
                    if (!TryReadObjectFast(json, ref pos, ev, path, ref state, depth + 1))
                    {
                        return false;
                    }
                }
                else if (first == (byte)'n')
                {
                    if (!TryLiteral(json, ref pos, "null"u8))
                    {
                        return false;
                    }
                }
                else if (!TryAddValueFast(json, ref pos, ev, path))
                {
                    return false;
                }
            }

            pos = SkipSpace(json, pos);
            if (pos >= json.Length)
            {
                return false;
            }

            if (json[pos] == (byte)'}')
            {
                pos++;
                return true;
            }

            if (json[pos] != (byte)',')
            {
                return false;
            }

            pos = SkipSpace(json, pos + 1);
        }
    }

    /// <summary>The string value at <paramref name="pos"/> (its opening quote) as the event's date, as <see cref="ReadDate"/> keeps it.</summary>
    private bool TryReadDateFast(ReadOnlySpan<byte> json, ref int pos, NormalizedEvent ev, ref ParseState state)
    {
        var start = pos;
        if (!TryScanString(json, start, ev, out var end, out var valueStart, out var valueLength, out var inScratch))
        {
            return false;
        }

        state.HasDate = true;
        state.DateFieldIndex = ev.FieldCount;
        ev.AddField();
        state.DateRawStart = start;
        state.DateRawLength = end - start;
        state.DateIsString = true;
        state.DateValueStart = valueStart;
        state.DateValueLength = valueLength;
        state.DateValueInScratch = inScratch;
        var value = inScratch ? ev.Scratch.Slice(valueStart, valueLength) : json.Slice(valueStart, valueLength);
        state.DateParsed = EventTimeParser.TryParse(value, out state.DateMs);
        pos = end;
        return true;
    }

    /// <summary>A string, number or boolean at <paramref name="pos"/>, filled in as <see cref="AddValue"/> does.</summary>
    private static bool TryAddValueFast(ReadOnlySpan<byte> json, ref int pos, NormalizedEvent ev, FieldPath path)
    {
        var start = pos;
        var first = json[start];
        if (first == (byte)'"')
        {
            if (!TryScanString(json, start, ev, out var end, out var valueStart, out var valueLength, out var inScratch))
            {
                return false;
            }

            ref var field = ref NewField(ev, path, start);
            field.Kind = ValueKind.String;
            field.RawLength = end - start;
            field.ValueStart = valueStart;
            field.ValueLength = valueLength;
            field.ValueInScratch = inScratch;
            pos = end;
            return true;
        }

        if (first == (byte)'t' || first == (byte)'f')
        {
            var isTrue = first == (byte)'t';
            if (!TryLiteral(json, ref pos, isTrue ? "true"u8 : "false"u8))
            {
                return false;
            }

            ref var field = ref NewField(ev, path, start);
            field.Kind = ValueKind.Boolean;
            field.Int64 = isTrue ? 1 : 0;
            field.RawLength = isTrue ? 4 : 5;
            return true;
        }

        if (first == (byte)'-' || (uint)(first - '0') <= 9)
        {
            if (!TryScanNumber(json, start, out var end, out var isInteger))
            {
                return false;
            }

            var text = json[start..end];
            ref var field = ref NewField(ev, path, start);
            field.RawLength = text.Length;
            field.ValueStart = start;
            field.ValueLength = text.Length;
            // The same parser calls as Utf8JsonReader.TryGetInt64 and TryGetDouble, except for short integers,
            // which cannot overflow and are summed here.
            if (isInteger && text.Length <= 18)
            {
                field.Kind = ValueKind.Int64;
                field.Int64 = ShortInteger(text);
            }
            else if (Utf8Parser.TryParse(text, out long l, out var consumed) && consumed == text.Length)
            {
                field.Kind = ValueKind.Int64;
                field.Int64 = l;
            }
            else if (isInteger)
            {
                field.Kind = ValueKind.UnrepresentableNumber;
            }
            else if (Utf8Parser.TryParse(text, out double d, out consumed) && consumed == text.Length && double.IsFinite(d))
            {
                field.Kind = ValueKind.Double;
                field.Double = d;
            }
            else
            {
                field.Kind = ValueKind.UnrepresentableNumber;
            }

            pos = end;
            return true;
        }

        // Arrays and anything invalid: the reader's business.
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref FieldEntry NewField(NormalizedEvent ev, FieldPath path, int start)
    {
        ref var field = ref ev.AddField();
        field.Path = path;
        field.Column = path.Column;
        field.ColumnId = path.ColumnId;
        field.RawStart = start;
        return ref field;
    }

    /// <summary>
    /// The string whose opening quote is at <paramref name="start"/>: <paramref name="end"/> is after its closing
    /// quote; its content is in the input, or unescaped into the event's scratch space when it has escapes.
    /// </summary>
    private static bool TryScanString(ReadOnlySpan<byte> json, int start, NormalizedEvent ev, out int end, out int valueStart, out int valueLength, out bool inScratch)
    {
        end = 0;
        valueStart = start + 1;
        valueLength = 0;
        inScratch = false;
        var stop = PlainStringEnd(json, valueStart);
        if (stop < 0)
        {
            return false;
        }

        if (json[stop] == (byte)'"')
        {
            valueLength = stop - valueStart;
            end = stop + 1;
            return true;
        }

        if (json[stop] != (byte)'\\')
        {
            return false;
        }

        // Escapes: find the closing quote (a quote preceded by an odd number of backslashes is escaped), then
        // unescape into scratch space of the escaped length, as CopyString does.
        var close = stop;
        while (true)
        {
            if (close >= json.Length)
            {
                return false;
            }

            var b = json[close];
            if (b == (byte)'"')
            {
                break;
            }

            if (b < 0x20)
            {
                return false;
            }

            close += b == (byte)'\\' ? 2 : 1;
        }

        var raw = json[valueStart..close];
        var offset = ev.ReserveScratch(raw.Length, out var space);
        if (!TryUnescape(raw, space, out var written))
        {
            return false;
        }

        ev.TrimScratch(offset, written);
        valueStart = offset;
        valueLength = written;
        inScratch = true;
        end = close + 1;
        return true;
    }

    /// <summary>Unescapes the simple escapes and <c>\uXXXX</c> outside the surrogate range; anything else gives up.</summary>
    private static bool TryUnescape(ReadOnlySpan<byte> raw, Span<byte> destination, out int written)
    {
        written = 0;
        var i = 0;
        while (i < raw.Length)
        {
            var b = raw[i];
            if (b != (byte)'\\')
            {
                destination[written++] = b;
                i++;
                continue;
            }

            if (i + 1 >= raw.Length)
            {
                return false;
            }

            var e = raw[i + 1];
            i += 2;
            switch (e)
            {
                case (byte)'"':
                case (byte)'\\':
                case (byte)'/':
                    destination[written++] = e;
                    break;
                case (byte)'b':
                    destination[written++] = 0x08;
                    break;
                case (byte)'f':
                    destination[written++] = 0x0C;
                    break;
                case (byte)'n':
                    destination[written++] = 0x0A;
                    break;
                case (byte)'r':
                    destination[written++] = 0x0D;
                    break;
                case (byte)'t':
                    destination[written++] = 0x09;
                    break;
                case (byte)'u':
                    if (i + 4 > raw.Length || !TryHex4(raw.Slice(i, 4), out var c) || c is >= 0xD800 and <= 0xDFFF)
                    {
                        return false;
                    }

                    i += 4;
                    if (c < 0x80)
                    {
                        destination[written++] = (byte)c;
                    }
                    else if (c < 0x800)
                    {
                        destination[written++] = (byte)(0xC0 | (c >> 6));
                        destination[written++] = (byte)(0x80 | (c & 0x3F));
                    }
                    else
                    {
                        destination[written++] = (byte)(0xE0 | (c >> 12));
                        destination[written++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                        destination[written++] = (byte)(0x80 | (c & 0x3F));
                    }

                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private static bool TryHex4(ReadOnlySpan<byte> hex, out int value)
    {
        value = 0;
        foreach (var h in hex)
        {
            int digit;
            if ((uint)(h - '0') <= 9)
            {
                digit = h - '0';
            }
            else if ((uint)((h | 0x20) - 'a') <= 5)
            {
                digit = (h | 0x20) - 'a' + 10;
            }
            else
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    /// <summary>Index of the first quote, backslash or control character from <paramref name="i"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PlainStringEnd(ReadOnlySpan<byte> json, int i)
    {
        var stops = StringStops;
        for (; (uint)i < (uint)json.Length; i++)
        {
            if (stops[json[i]] != 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The JSON number grammar (<c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>) followed by a byte that may
    /// follow a value, which is what the reader checks.
    /// </summary>
    private static bool TryScanNumber(ReadOnlySpan<byte> json, int i, out int end, out bool isInteger)
    {
        end = 0;
        isInteger = true;
        if (json[i] == (byte)'-')
        {
            i++;
        }

        if (i >= json.Length)
        {
            return false;
        }

        if (json[i] == (byte)'0')
        {
            i++;
        }
        else if ((uint)(json[i] - '1') <= 8)
        {
            i = SkipDigits(json, i + 1);
        }
        else
        {
            return false;
        }

        if (i < json.Length && json[i] == (byte)'.')
        {
            isInteger = false;
            var digits = SkipDigits(json, i + 1);
            if (digits == i + 1)
            {
                return false;
            }

            i = digits;
        }

        if (i < json.Length && (json[i] | 0x20) == (byte)'e')
        {
            isInteger = false;
            i++;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            var digits = SkipDigits(json, i);
            if (digits == i)
            {
                return false;
            }

            i = digits;
        }

        if (i < json.Length && !IsValueEnd(json[i]))
        {
            return false;
        }

        end = i;
        return true;
    }

    /// <summary>A JSON integer of at most 18 characters (so at most 18 digits: no overflow).</summary>
    private static long ShortInteger(ReadOnlySpan<byte> text)
    {
        var negative = text[0] == (byte)'-';
        long value = 0;
        for (var i = negative ? 1 : 0; i < text.Length; i++)
        {
            value = (value * 10) + (text[i] - '0');
        }

        return negative ? -value : value;
    }

    private static int SkipDigits(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && (uint)(json[i] - '0') <= 9)
        {
            i++;
        }

        return i;
    }

    private static bool TryLiteral(ReadOnlySpan<byte> json, ref int pos, ReadOnlySpan<byte> literal)
    {
        var end = pos + literal.Length;
        if (end > json.Length || !json.Slice(pos, literal.Length).SequenceEqual(literal) || (end < json.Length && !IsValueEnd(json[end])))
        {
            return false;
        }

        pos = end;
        return true;
    }

    private static bool IsValueEnd(byte b) => b is (byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipSpace(ReadOnlySpan<byte> json, int i)
    {
        while ((uint)i < (uint)json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i;
    }
}
