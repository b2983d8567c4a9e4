namespace Streaming.Core.Events;

/// <summary>
/// Parses the event <c>date</c>: ISO-8601 / RFC 3339 date-time, <c>T</c> or a space between date and time,
/// optional seconds, optional fraction (any number of digits; kept to the millisecond), and <c>Z</c>,
/// <c>±hh:mm</c>, <c>±hhmm</c> or <c>±hh</c>. Without an offset the time is taken as UTC. A bare date
/// (<c>2021-09-16</c>) is midnight UTC. Everything is converted to UTC milliseconds since the epoch.
/// </summary>
public static class EventTimeParser
{
    /// <summary>Events outside [1970, 2100) are treated as having no usable date (a partition in year 0001 helps nobody).</summary>
    public static readonly long MinMs = 0;

    public static readonly long MaxMs = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static bool TryParse(ReadOnlySpan<byte> s, out long utcMs)
    {
        utcMs = 0;
        // yyyy-MM-dd
        if (s.Length < 10 || s[4] != '-' || s[7] != '-')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day))
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        var offsetMinutes = 0;
        var i = 10;
        if (i < s.Length)
        {
            if (s[i] is not ((byte)'T' or (byte)'t' or (byte)' '))
            {
                return false;
            }

            i++;
            if (!Digits(s, i, 2, out hour) || i + 2 >= s.Length || s[i + 2] != ':' || !Digits(s, i + 3, 2, out minute))
            {
                return false;
            }

            i += 5;
            if (i < s.Length && s[i] == ':')
            {
                if (!Digits(s, i + 1, 2, out second))
                {
                    return false;
                }

                i += 3;
                if (i < s.Length && s[i] is (byte)'.' or (byte)',')
                {
                    i++;
                    var start = i;
                    long scale = TimeSpan.TicksPerSecond;
                    while (i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9')
                    {
                        if (scale > 1)
                        {
                            scale /= 10;
                            fractionTicks += (s[i] - '0') * scale;
                        }

                        i++;
                    }

                    if (i == start)
                    {
                        return false;
                    }
                }
            }

            if (i < s.Length)
            {
                if (s[i] is (byte)'Z' or (byte)'z')
                {
                    i++;
                }
                else if (s[i] is (byte)'+' or (byte)'-')
                {
                    var sign = s[i] == '+' ? 1 : -1;
                    i++;
                    if (!Digits(s, i, 2, out var oh))
                    {
                        return false;
                    }

                    i += 2;
                    var om = 0;
                    if (i < s.Length && s[i] == ':')
                    {
                        i++;
                    }

                    if (i < s.Length)
                    {
                        if (!Digits(s, i, 2, out om))
                        {
                            return false;
                        }

                        i += 2;
                    }

                    if (oh > 18 || om > 59)
                    {
                        return false;
                    }

                    offsetMinutes = sign * ((oh * 60) + om);
                }

                if (i != s.Length)
                {
                    return false;
                }
            }
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month)
            || hour > 23 || minute > 59 || second > 60 || year < 1)
        {
            return false;
        }

        // A leap second is read as the last millisecond-aligned instant of that minute.
        var leap = second == 60;
        if (leap)
        {
            second = 59;
        }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fractionTicks
            - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (leap)
        {
            ticks += TimeSpan.TicksPerSecond - TimeSpan.TicksPerMillisecond;
        }

        var ms = (ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        if (ticks < DateTime.UnixEpoch.Ticks)
        {
            return false;
        }

        if (ms < MinMs || ms >= MaxMs)
        {
            return false;
        }

        utcMs = ms;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }
}
