using System.Globalization;

namespace Streaming.Benchmarks.Consumer;

/// <summary>
/// The arguments of <c>streaming-bench live-files</c>; null durations mean the consumer's defaults. The simulation
/// starts <see cref="From"/> past the top of an hour and runs <see cref="Hours"/> hours.
/// </summary>
internal sealed record LiveFilesSettings(
    int Shards,
    int Types,
    double EventsPerSecond,
    double Hours,
    TimeSpan From,
    TimeSpan? MaxBufferAge,
    TimeSpan? HourCloseGrace,
    double LateShare,
    TimeSpan LateMax,
    int Seed)
{
    public static bool TryParse(string[] args, out LiveFilesSettings settings, out string error)
    {
        settings = new LiveFilesSettings(4, 7, 100, 3, TimeSpan.Zero, null, null, 0.01, TimeSpan.FromMinutes(2), 1);
        error = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null)
            {
                error = $"{args[i]} needs a value";
                return false;
            }

            switch (args[i])
            {
                case "--shards" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 256:
                    settings = settings with { Shards = n };
                    break;
                case "--types" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 500:
                    settings = settings with { Types = n };
                    break;
                case "--events-per-second" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is > 0 and <= 100_000:
                    settings = settings with { EventsPerSecond = r };
                    break;
                case "--hours" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h is > 0 and <= 48:
                    settings = settings with { Hours = h };
                    break;
                case "--from" when TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var from) && from >= TimeSpan.Zero && from < TimeSpan.FromHours(1):
                    settings = settings with { From = from };
                    break;
                case "--max-buffer-age" when TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var age):
                    settings = settings with { MaxBufferAge = age };
                    break;
                case "--hour-close-grace" when TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var grace):
                    settings = settings with { HourCloseGrace = grace };
                    break;
                case "--late-share" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) && share is >= 0 and <= 1:
                    settings = settings with { LateShare = share };
                    break;
                case "--late-max" when TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var late) && late >= TimeSpan.Zero:
                    settings = settings with { LateMax = late };
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed):
                    settings = settings with { Seed = seed };
                    break;
                default:
                    error = $"'{args[i]} {value}' is not an option this command knows, or its value is out of range";
                    return false;
            }

            i++;
        }

        return true;
    }
}
