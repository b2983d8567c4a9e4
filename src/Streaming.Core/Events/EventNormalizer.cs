using System.Text;
using System.Text.Json;
using System.Text.Unicode;
namespace Streaming.Core.Events;

/// <summary>
/// Turns the bytes of one JSON event into a <see cref="NormalizedEvent"/>: validates it, picks the table from
/// <c>type</c> and the hour from <c>date</c>, and flattens nested objects into columns. Not thread-safe: one
/// normaliser per pipeline.
/// </summary>
public sealed partial class EventNormalizer
{
    private const int MaxCachedTypes = 10_000;

    private readonly int _maxEventBytes;
    private readonly ColumnNameIds _names;
    private readonly PathCache _paths;
    private readonly Dictionary<string, string?> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?>.AlternateLookup<ReadOnlySpan<char>> _tableLookup;
    private readonly Dictionary<string, string> _canonicalTables = new(StringComparer.Ordinal);
    private int[] _nonParamStamp = new int[64];
    private int[] _seenStamp = new int[64];
    private int _stamp;
    private byte[] _name = new byte[256];
    private const int RecentTypeSlots = 31;
    private readonly (byte[] Utf8, string? Table)[] _recentTypes = new (byte[], string?)[RecentTypeSlots];

    public EventNormalizer(int maxEventBytes = 10 * 1024 * 1024, ColumnNameIds? names = null)
    {
        _maxEventBytes = maxEventBytes;
        _names = names ?? new ColumnNameIds();
        _paths = new PathCache(_names);
        _tableLookup = _tables.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The column name ids this normaliser gives its fields.</summary>
    public ColumnNameIds Names => _names;

    /// <summary>Maximum nesting of JSON the normaliser reads; deeper input is rejected as invalid JSON.</summary>
    public const int MaxDepth = 64;

    /// <returns>False when the event is rejected; <see cref="NormalizedEvent.Rejection"/> says why.</returns>
    public bool Normalize(ReadOnlySpan<byte> json, long arrivalMs, NormalizedEvent ev)
    {
        ev.Reset();
        if (json.Length > _maxEventBytes)
        {
            return Reject(ev, RejectReason.TooLarge, $"event is {json.Length} bytes, more than the limit of {_maxEventBytes}");
        }

        if (!Utf8.IsValid(json))
        {
            return Reject(ev, RejectReason.InvalidUtf8, "event is not valid UTF-8");
        }

        var state = new ParseState();
        if (TryReadFast(json, ev, ref state))
        {
            return Complete(arrivalMs, ev, ref state);
        }

        // The reader decides whatever the fast path was not sure of, and words the rejections.
        ev.Reset();
        state = default;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!reader.Read())
            {
                return Reject(ev, RejectReason.InvalidJson, "event is empty");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                ExpectEnd(ref reader);
                return Reject(ev, RejectReason.NotAnObject, $"event is a JSON {Describe(reader.TokenType)}, not an object");
            }

            ReadObject(ref reader, json, ev, null, ref state);
            ExpectEnd(ref reader);
        }
        catch (JsonException e)
        {
            return Reject(ev, RejectReason.InvalidJson, Trim(e.Message));
        }
        catch (InvalidOperationException e)
        {
            // The reader cannot unescape a string into UTF-8: a lone surrogate escape such as "\ud83d".
            return Reject(ev, RejectReason.InvalidJson, Trim($"a string cannot be decoded: {e.Message}"));
        }

        return Complete(arrivalMs, ev, ref state);
    }

    private bool Complete(long arrivalMs, NormalizedEvent ev, ref ParseState state)
    {
        if (!state.HasType)
        {
            return Reject(ev, RejectReason.MissingType, "event has no \"type\" field");
        }

        if (state.Table is null)
        {
            return Reject(ev, RejectReason.InvalidType, state.TypeError ?? "\"type\" is not a valid table name");
        }

        ev.Table = state.Table;
        AddEventTime(arrivalMs, ev, ref state);
        ResolveNames(ev);
        return true;
    }

    private static void ExpectEnd(ref Utf8JsonReader reader)
    {
        // Throws on anything but white space after the value.
        if (reader.Read())
        {
            throw new JsonException($"unexpected content after the event at byte {reader.TokenStartIndex}");
        }
    }

    private struct ParseState
    {
        public bool HasType;
        public string? Table;
        public string? TypeError;
        public bool HasDate;
        public int DateFieldIndex;
        public bool DateParsed;
        public long DateMs;
        public int DateRawStart;
        public int DateRawLength;
        public bool DateIsString;
        public int DateValueStart;
        public int DateValueLength;
        public bool DateValueInScratch;
    }

    private void ReadObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, NormalizedEvent ev, FieldPath? parent, ref ParseState state)
    {
        var topLevel = parent is null;
        var ordinal = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = PropertyName(ref reader);
            reader.Read();
            if (topLevel && name.SequenceEqual("date"u8) && !state.HasDate)
            {
                ReadDate(ref reader, json, ev, ref state);
                continue;
            }

            if (topLevel && name.SequenceEqual("type"u8) && !state.HasType)
            {
                state.HasType = true;
                if (reader.TokenType == JsonTokenType.String)
                {
                    state.Table = ResolveTable(ref reader, ref state);
                }
                else
                {
                    state.TypeError = $"\"type\" is a JSON {Describe(reader.TokenType)}, not a string";
                }
            }

            var path = _paths.Resolve(parent, name, ordinal++);
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    ReadObject(ref reader, json, ev, path, ref state);
                    break;
                case JsonTokenType.Null:
                    break;
                default:
                    AddValue(ref reader, ev, path);
                    break;
            }
        }
    }

    /// <summary>The property name as UTF-8 bytes: straight from the input, or unescaped into a scratch buffer.</summary>
    private ReadOnlySpan<byte> PropertyName(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return reader.ValueSpan;
        }

        var max = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (_name.Length < max)
        {
            Array.Resize(ref _name, Math.Max(max, _name.Length * 2));
        }

        var n = reader.CopyString(_name);
        return _name.AsSpan(0, n);
    }

    private string? ResolveTable(ref Utf8JsonReader reader, ref ParseState state)
    {
        var raw = reader.ValueSpan;
        if (reader.ValueIsEscaped || raw.Length > TableNames.MaxLength * 4)
        {
            var text = reader.GetString() ?? string.Empty;
            if (!TableNames.TryNormalize(text, out var escaped))
            {
                state.TypeError = DescribeBadType(text);
                return null;
            }

            return Canonical(escaped);
        }

        return ResolveTable(raw, ref state);
    }

    /// <summary>The table of an unescaped <c>type</c> of at most <see cref="TableNames.MaxLength"/> * 4 bytes.</summary>
    private string? ResolveTable(ReadOnlySpan<byte> raw, ref ParseState state)
    {
        // A handful of types make up a stream: a direct-mapped slot by length and edge bytes, one byte comparison,
        // before transcoding and hashing.
        var slot = RecentTypeSlot(raw);
        if (_recentTypes[slot] is { Table: { } recent } entry && entry.Utf8.Length == raw.Length && PathCache.SameBytes(entry.Utf8, raw))
        {
            return recent;
        }

        Span<char> chars = stackalloc char[raw.Length];
        var n = Encoding.UTF8.GetChars(raw, chars);
        var key = chars[..n];
        if (_tableLookup.TryGetValue(key, out var cached))
        {
            if (cached is null)
            {
                state.TypeError = DescribeBadType(key.ToString());
            }
            else
            {
                _recentTypes[slot] = (raw.ToArray(), cached);
            }

            return cached;
        }

        string? table = TableNames.TryNormalize(key, out var normalized) ? Canonical(normalized) : null;
        if (_tables.Count < MaxCachedTypes)
        {
            _tables[key.ToString()] = table;
        }

        if (table is not null)
        {
            _recentTypes[slot] = (raw.ToArray(), table);
        }

        if (table is null)
        {
            state.TypeError = DescribeBadType(key.ToString());
        }

        return table;
    }

    /// <summary>A hash over every byte: types often share their first, middle and last bytes (exercise_started, exercise_cleared).</summary>
    private static int RecentTypeSlot(ReadOnlySpan<byte> raw)
    {
        var hash = (uint)raw.Length;
        foreach (var b in raw)
        {
            hash = (hash * 31) + b;
        }

        return (int)(hash % RecentTypeSlots);
    }

    /// <summary>One string instance per table name, however the producer spelled the type.</summary>
    private string Canonical(string table)
    {
        if (_canonicalTables.TryGetValue(table, out var canonical))
        {
            return canonical;
        }

        if (_canonicalTables.Count < MaxCachedTypes)
        {
            _canonicalTables[table] = table;
        }

        return table;
    }

    private static string DescribeBadType(string type)
    {
        var shown = type.Length > 80 ? string.Concat(type.AsSpan(0, 80), "...") : type;
        return $"\"type\" {Diagnostics.JsonText.Quote(shown)} does not make a table name: after lower-casing and turning - and . into _, it must match ^[a-z][a-z0-9_]{{0,63}}$";
    }

    private void ReadDate(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, NormalizedEvent ev, ref ParseState state)
    {
        state.HasDate = true;
        // Hold the date's place, so the column keeps the position the producer gave it.
        state.DateFieldIndex = ev.FieldCount;
        ev.AddField();
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        state.DateRawStart = start;
        state.DateRawLength = (int)reader.BytesConsumed - start;
        if (reader.TokenType != JsonTokenType.String)
        {
            return;
        }

        state.DateIsString = true;
        if (reader.ValueIsEscaped)
        {
            var offset = ev.ReserveScratch(reader.ValueSpan.Length, out var space);
            var written = reader.CopyString(space);
            ev.TrimScratch(offset, written);
            state.DateValueStart = offset;
            state.DateValueLength = written;
            state.DateValueInScratch = true;
            state.DateParsed = EventTimeParser.TryParse(space[..written], out state.DateMs);
        }
        else
        {
            state.DateValueStart = start + 1;
            state.DateValueLength = reader.ValueSpan.Length;
            state.DateParsed = EventTimeParser.TryParse(reader.ValueSpan, out state.DateMs);
        }
    }

    private void AddEventTime(long arrivalMs, NormalizedEvent ev, ref ParseState state)
    {
        ref var date = ref state.HasDate ? ref ev.FieldsMutable[state.DateFieldIndex] : ref ev.AddField();
        date.Column = ColumnNames.Date;
        date.ColumnId = _names.Date;
        date.Kind = ValueKind.Timestamp;
        date.Int64 = state.DateParsed ? state.DateMs : arrivalMs;
        if (state.HasDate)
        {
            date.RawStart = state.DateRawStart;
            date.RawLength = state.DateRawLength;
        }

        ev.EventTimeMs = date.Int64;
        if (state.DateParsed)
        {
            return;
        }

        ev.UsedArrivalTime = true;
        if (!state.HasDate)
        {
            return;
        }

        // Keep what the producer sent, so nothing is lost: the text of a string, the JSON of anything else.
        ref var raw = ref ev.AddField();
        raw.Column = ColumnNames.DateRaw;
        raw.ColumnId = _names.DateRaw;
        raw.Kind = ValueKind.String;
        raw.RawStart = state.DateRawStart;
        raw.RawLength = state.DateRawLength;
        if (state.DateIsString)
        {
            raw.ValueStart = state.DateValueStart;
            raw.ValueLength = state.DateValueLength;
            raw.ValueInScratch = state.DateValueInScratch;
        }
        else
        {
            raw.ValueStart = state.DateRawStart;
            raw.ValueLength = state.DateRawLength;
        }
    }

    private static void AddValue(ref Utf8JsonReader reader, NormalizedEvent ev, FieldPath path)
    {
        ref var field = ref ev.AddField();
        field.Path = path;
        field.Column = path.Column;
        field.ColumnId = path.ColumnId;
        var start = (int)reader.TokenStartIndex;
        field.RawStart = start;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                field.Kind = ValueKind.String;
                field.RawLength = reader.ValueSpan.Length + 2;
                if (reader.ValueIsEscaped)
                {
                    var offset = ev.ReserveScratch(reader.ValueSpan.Length, out var space);
                    var written = reader.CopyString(space);
                    ev.TrimScratch(offset, written);
                    field.ValueStart = offset;
                    field.ValueLength = written;
                    field.ValueInScratch = true;
                }
                else
                {
                    field.ValueStart = start + 1;
                    field.ValueLength = reader.ValueSpan.Length;
                }

                break;
            case JsonTokenType.Number:
                field.RawLength = reader.ValueSpan.Length;
                field.ValueStart = start;
                field.ValueLength = field.RawLength;
                if (reader.TryGetInt64(out var l))
                {
                    field.Kind = ValueKind.Int64;
                    field.Int64 = l;
                }
                else if (reader.ValueSpan.IndexOfAny("."u8 + "eE"u8) < 0)
                {
                    // An integer literal beyond int64: a double would silently change it.
                    field.Kind = ValueKind.UnrepresentableNumber;
                }
                else if (reader.TryGetDouble(out var d) && double.IsFinite(d))
                {
                    field.Kind = ValueKind.Double;
                    field.Double = d;
                }
                else
                {
                    field.Kind = ValueKind.UnrepresentableNumber;
                }

                break;
            case JsonTokenType.True:
            case JsonTokenType.False:
                field.Kind = ValueKind.Boolean;
                field.Int64 = reader.TokenType == JsonTokenType.True ? 1 : 0;
                field.RawLength = field.Int64 == 1 ? 4 : 5;
                break;
            case JsonTokenType.StartArray:
                reader.Skip();
                field.Kind = ValueKind.JsonText;
                field.RawLength = (int)reader.BytesConsumed - start;
                field.ValueStart = start;
                field.ValueLength = field.RawLength;
                break;
            default:
                throw new JsonException($"unexpected token {reader.TokenType}");
        }
    }

    /// <summary>Applies the collision rules once every field of the event is known.</summary>
    private void ResolveNames(NormalizedEvent ev)
    {
        var fields = ev.FieldsMutable;
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_nonParamStamp);
            Array.Clear(_seenStamp);
            _stamp = 1;
        }

        if (_seenStamp.Length < _names.Count)
        {
            Array.Resize(ref _nonParamStamp, Math.Max(_names.Count, _nonParamStamp.Length * 2));
            Array.Resize(ref _seenStamp, _nonParamStamp.Length);
        }

        foreach (ref var f in fields)
        {
            if (f.Path is null || (f.Path is { IsParam: false, IsValid: true }))
            {
                _nonParamStamp[f.ColumnId] = _stamp;
            }
        }

        foreach (ref var f in fields)
        {
            if (f.Path is { IsParam: true, IsValid: true, AliasId: >= 0 } param && f.ColumnId != param.AliasId && _nonParamStamp[f.ColumnId] == _stamp)
            {
                f.Column = param.ParamsAlias!;
                f.ColumnId = param.AliasId;
            }
        }

        // date and _date_raw: the event time always owns its columns.
        foreach (ref var f in fields)
        {
            if (f.Path is null)
            {
                _seenStamp[f.ColumnId] = _stamp;
            }
        }

        foreach (ref var f in fields)
        {
            if (f.Path is null)
            {
                continue;
            }

            if (!f.Path.IsValid)
            {
                f.RescueKey = f.Path.Dotted;
            }
            else if (_seenStamp[f.ColumnId] == _stamp)
            {
                // Two keys of one event land on one column name: the first wins, the others keep their own key.
                f.RescueKey = f.Path.Dotted;
            }
            else
            {
                _seenStamp[f.ColumnId] = _stamp;
            }
        }
    }

    private static bool Reject(NormalizedEvent ev, RejectReason reason, string message)
    {
        ev.Rejection = reason;
        ev.RejectionMessage = message;
        return false;
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartArray or JsonTokenType.EndArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject or JsonTokenType.EndObject => "object",
        _ => type.ToString(),
    };

    private static string Trim(string message) => message.Length > 300 ? message[..300] : message;
}
