using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Streaming.Cli.Demo;

/// <summary>
/// Realistic events of a language-learning service: registrations with OAuth providers, page views, lessons,
/// exercises started and cleared, payments with nested card details and coupon arrays. Deterministic for a
/// seed, time-ordered, spread evenly over the given hours. A small share of malformed events can be mixed in,
/// so the error path is exercised like it would be in production.
/// </summary>
internal sealed class DemoEventGenerator
{
    private static readonly (string Country, string Locale, string Offset, double Weight)[] Countries =
    [
        ("JP", "ja", "+09:00", 0.34), ("US", "en", "-05:00", 0.18), ("BR", "pt", "-03:00", 0.10), ("KR", "ko", "+09:00", 0.08),
        ("FR", "fr", "+01:00", 0.07), ("DE", "de", "+01:00", 0.07), ("ES", "es", "+01:00", 0.05), ("TW", "zh-TW", "+08:00", 0.05),
        ("GB", "en", "Z", 0.04), ("IN", "en", "+05:30", 0.02),
    ];

    private static readonly string[] Providers = ["email", "google", "apple", "twitter", "facebook", "line"];
    private static readonly string[] Platforms = ["ios", "android", "web"];
    private static readonly string[] Courses = ["english-basics", "business-english", "travel-phrases", "grammar-drills"];
    private static readonly string[] Paths = ["/home", "/courses", "/courses/english-basics", "/profile", "/ranking", "/shop", "/settings", "/lessons/next"];
    private static readonly string[] Brands = ["visa", "mastercard", "jcb", "amex"];
    private static readonly string[] Plans = ["monthly", "yearly", "lifetime"];

    private readonly Random _random;
    private readonly long _startMs;
    private readonly long _spanMs;
    private readonly double _badRate;
    private readonly List<User> _users = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;
    private long _eventIndex;

    public DemoEventGenerator(int seed, DateTimeOffset start, TimeSpan span, double badRate = 0)
    {
        _random = new Random(seed);
        _startMs = start.ToUnixTimeMilliseconds();
        _spanMs = Math.Max(1, (long)span.TotalMilliseconds);
        _badRate = badRate;
        _json = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Writes <paramref name="count"/> events, one JSON object per line.</summary>
    public void Write(Stream output, long count)
    {
        for (long i = 0; i < count; i++)
        {
            var line = Next(i, count);
            output.Write(line);
            output.WriteByte((byte)'\n');
        }
    }

    /// <summary>The next event's bytes (valid until the next call).</summary>
    public ReadOnlySpan<byte> Next(long index, long total)
    {
        _eventIndex = index;
        var timeMs = _startMs + (long)(_spanMs * ((index + _random.NextDouble()) / Math.Max(1, total)));
        if (_badRate > 0 && _random.NextDouble() < _badRate)
        {
            return Malformed(timeMs);
        }

        _buffer.ResetWrittenCount();
        _json.Reset();
        if (_users.Count < 20 || _random.NextDouble() < 0.04)
        {
            Registration(timeMs);
        }
        else
        {
            var user = _users[PickUser()];
            var roll = _random.NextDouble();
            if (roll < 0.30)
            {
                PageView(user, timeMs);
            }
            else if (roll < 0.42)
            {
                Lesson(user, timeMs, "lesson_started");
            }
            else if (roll < 0.50)
            {
                Lesson(user, timeMs, "lesson_completed");
            }
            else if (roll < 0.75)
            {
                ExerciseStarted(user, timeMs);
            }
            else if (roll < 0.97)
            {
                ExerciseCleared(user, timeMs);
            }
            else
            {
                Payment(user, timeMs);
            }
        }

        _json.Flush();
        return _buffer.WrittenSpan;
    }

    // Recent users are more active than old ones, as in a real service.
    private int PickUser()
    {
        var n = _users.Count;
        var skew = Math.Pow(_random.NextDouble(), 0.6);
        return Math.Min(n - 1, (int)(n * skew));
    }

    private void Registration(long timeMs)
    {
        var roll = _random.NextDouble();
        var country = Countries[^1];
        foreach (var c in Countries)
        {
            if ((roll -= c.Weight) < 0)
            {
                country = c;
                break;
            }
        }

        var user = new User(_users.Count + 1, country.Country, country.Locale, country.Offset, Platforms[_random.Next(Platforms.Length)]);
        _users.Add(user);
        Common(user, timeMs, "user_registration");
        _json.WriteStartObject("params");
        _json.WriteString("provider", Providers[_random.Next(Providers.Length)]);
        _json.WriteString("referrer", _random.NextDouble() < 0.6 ? "organic" : _random.NextDouble() < 0.5 ? "ads" : "friend");
        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    private void PageView(User user, long timeMs)
    {
        Common(user, timeMs, "page_view");
        _json.WriteStartObject("params");
        _json.WriteString("path", Paths[_random.Next(Paths.Length)]);
        _json.WriteString("referrer_path", Paths[_random.Next(Paths.Length)]);
        _json.WriteNumber("duration_ms", _random.Next(200, 120_000));
        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    private void Lesson(User user, long timeMs, string type)
    {
        Common(user, timeMs, type);
        _json.WriteStartObject("params");
        _json.WriteString("lesson_id", string.Create(CultureInfo.InvariantCulture, $"L-{1 + (user.NextExercise / 5):D4}"));
        _json.WriteString("course", Courses[user.Id % Courses.Length]);
        if (type == "lesson_completed")
        {
            _json.WriteNumber("score", Math.Round(40 + (_random.NextDouble() * 60), 1));
        }

        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    private void ExerciseStarted(User user, long timeMs)
    {
        // Mostly in curriculum order, sometimes skipping ahead or going back.
        var roll = _random.NextDouble();
        var exercise = roll < 0.8 ? user.NextExercise : roll < 0.9 ? user.NextExercise + 1 : Math.Max(1, user.NextExercise - 1);
        user.Started = exercise;
        user.NextExercise = Math.Max(user.NextExercise, exercise) + (roll < 0.8 ? 1 : 0);
        Common(user, timeMs, "exercise_started");
        _json.WriteStartObject("params");
        _json.WriteString("exercise_id", string.Create(CultureInfo.InvariantCulture, $"ex-{exercise:D3}"));
        _json.WriteString("difficulty", exercise % 5 == 0 ? "hard" : exercise % 2 == 0 ? "normal" : "easy");
        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    private void ExerciseCleared(User user, long timeMs)
    {
        var exercise = user.Started == 0 ? 1 : user.Started;
        Common(user, timeMs, "exercise_cleared");
        _json.WriteStartObject("params");
        _json.WriteString("exercise_id", string.Create(CultureInfo.InvariantCulture, $"ex-{exercise:D3}"));
        _json.WriteNumber("attempts", 1 + (int)(-Math.Log(1 - _random.NextDouble()) * 1.2));
        _json.WriteNumber("duration_ms", _random.Next(5_000, 600_000));
        _json.WriteNumber("score", Math.Round(50 + (_random.NextDouble() * 50), 2));
        _json.WriteBoolean("perfect", _random.NextDouble() < 0.2);
        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    private void Payment(User user, long timeMs)
    {
        var plan = Plans[_random.Next(Plans.Length)];
        var (currency, amount) = user.Country switch
        {
            "JP" => ("JPY", plan switch { "monthly" => 1200.0, "yearly" => 9800.0, _ => 24800.0 }),
            "FR" or "DE" or "ES" => ("EUR", plan switch { "monthly" => 9.99, "yearly" => 79.99, _ => 199.0 }),
            "BR" => ("BRL", plan switch { "monthly" => 29.9, "yearly" => 239.9, _ => 599.0 }),
            _ => ("USD", plan switch { "monthly" => 9.99, "yearly" => 79.99, _ => 199.0 }),
        };
        Common(user, timeMs, "payment");
        _json.WriteStartObject("params");
        _json.WriteNumber("amount", amount);
        _json.WriteString("currency", currency);
        _json.WriteString("plan", plan);
        _json.WriteStartObject("card");
        _json.WriteString("brand", Brands[_random.Next(Brands.Length)]);
        _json.WriteString("country", user.Country);
        _json.WriteEndObject();
        if (_random.NextDouble() < 0.15)
        {
            _json.WriteStartArray("coupons");
            _json.WriteStringValue("WELCOME10");
            _json.WriteEndArray();
        }

        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    private void Common(User user, long timeMs, string type)
    {
        _json.WriteStartObject();
        _json.WriteString("id", NewId());
        _json.WriteString("date", FormatDate(timeMs, user.Offset));
        _json.WriteString("type", type);
        _json.WriteNumber("user_id", user.Id);
        _json.WriteString("locale", user.Locale);
        _json.WriteString("country_code", user.Country);
        _json.WriteString("platform", user.Platform);
    }

    // Producers in different regions send local time with an offset; the lake must land them in the right UTC hour.
    private string FormatDate(long timeMs, string offset)
    {
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(timeMs);
        if (offset == "Z" || _random.NextDouble() < 0.7)
        {
            return utc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        var span = TimeSpan.ParseExact(offset.TrimStart('+', '-'), @"hh\:mm", CultureInfo.InvariantCulture) * (offset[0] == '-' ? -1 : 1);
        return utc.ToOffset(span).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
    }

    private string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    private ReadOnlySpan<byte> Malformed(long timeMs)
    {
        var kind = _eventIndex % 4;
        var text = kind switch
        {
            0 => "{\"id\":\"broken\",\"type\":\"page_view\",\"date\":\"" + DateTimeOffset.FromUnixTimeMilliseconds(timeMs).UtcDateTime.ToString("O", CultureInfo.InvariantCulture) + "\",\"params\":{\"path\":",
            1 => "{\"id\":\"no-type\",\"user_id\":7}",
            2 => "{\"id\":\"bad-type\",\"type\":\"../../etc/passwd\"}",
            _ => "[\"not\",\"an\",\"object\"]",
        };
        return System.Text.Encoding.UTF8.GetBytes(text);
    }

    private sealed class User(int id, string country, string locale, string offset, string platform)
    {
        public int Id { get; } = id;

        public string Country { get; } = country;

        public string Locale { get; } = locale;

        public string Offset { get; } = offset;

        public string Platform { get; } = platform;

        public int NextExercise { get; set; } = 1;

        public int Started { get; set; }
    }
}
