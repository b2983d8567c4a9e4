using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Streaming.Core.Consumer;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// One shard's live traffic: events arrive at random (exponential gaps, <c>rate</c> per second on average), each of
/// a random one of the types, and each is dated when it arrives, except a share of late ones dated up to a given
/// time earlier (never before the start). One event per record, about 230 bytes of JSON, the shape of the demo
/// events (a few top-level fields and a nested <c>params</c>).
/// </summary>
internal sealed class LiveFilesTraffic
{
    private static readonly string[] Platforms = ["ios", "android", "web"];
    private static readonly string[] Countries = ["JP", "US", "BR", "KR", "FR", "DE", "ES", "TW", "GB", "IN"];
    private static readonly string[] Paths = ["/home", "/courses", "/courses/english-basics", "/profile", "/ranking", "/shop"];

    private readonly Random _random;
    private readonly double _meanGapMs;
    private readonly int _types;
    private readonly double _lateShare;
    private readonly double _lateMaxMs;
    private readonly long _startMs;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json;
    private double _nextArrivalMs;
    private long _sequence;

    public LiveFilesTraffic(int seed, DateTimeOffset start, double eventsPerSecond, int types, double lateShare, TimeSpan lateMax)
    {
        _random = new Random(seed);
        _meanGapMs = 1000 / eventsPerSecond;
        _types = types;
        _lateShare = lateShare;
        _lateMaxMs = lateMax.TotalMilliseconds;
        _startMs = start.ToUnixTimeMilliseconds();
        _json = new Utf8JsonWriter(_buffer);
        _nextArrivalMs = _startMs + Gap();
    }

    public long Events { get; private set; }

    public long LateEvents { get; private set; }

    /// <summary>The records that arrived up to <paramref name="nowMs"/> (inclusive) and were not handed out yet.</summary>
    public List<StreamRecord> Until(long nowMs)
    {
        var records = new List<StreamRecord>();
        while (_nextArrivalMs <= nowMs)
        {
            var arrivalMs = (long)_nextArrivalMs;
            var dateMs = arrivalMs;
            if (_lateShare > 0 && _random.NextDouble() < _lateShare)
            {
                dateMs = Math.Max(_startMs, arrivalMs - (long)(_random.NextDouble() * _lateMaxMs));
                LateEvents++;
            }

            records.Add(new StreamRecord(
                (++_sequence).ToString("D21", CultureInfo.InvariantCulture),
                Event(dateMs),
                DateTimeOffset.FromUnixTimeMilliseconds(arrivalMs)));
            Events++;
            _nextArrivalMs += Gap();
        }

        return records;
    }

    private double Gap() => -Math.Log(1 - _random.NextDouble()) * _meanGapMs;

    private byte[] Event(long dateMs)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("type", string.Create(CultureInfo.InvariantCulture, $"event_type_{_random.Next(_types)}"));
        _json.WriteString("date", DateTimeOffset.FromUnixTimeMilliseconds(dateMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        _json.WriteNumber("user_id", _random.Next(1, 200_000));
        _json.WriteString("session_id", string.Create(CultureInfo.InvariantCulture, $"s-{_random.Next():x8}-{_random.Next():x8}"));
        _json.WriteString("platform", Platforms[_random.Next(Platforms.Length)]);
        _json.WriteString("country", Countries[_random.Next(Countries.Length)]);
        _json.WriteString("app_version", string.Create(CultureInfo.InvariantCulture, $"5.{_random.Next(20)}.{_random.Next(10)}"));
        _json.WriteStartObject("params");
        _json.WriteString("path", Paths[_random.Next(Paths.Length)]);
        _json.WriteNumber("duration_ms", _random.Next(200, 120_000));
        _json.WriteNumber("score", _random.Next(0, 101));
        _json.WriteBoolean("cleared", _random.Next(2) == 0);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan.ToArray();
    }
}
