using System.Globalization;

namespace Streaming.Core.Lake;

/// <summary>A table and an hour of event time (UTC), the unit of buffering and of the lake's partitions.</summary>
public readonly record struct PartitionKey(string Table, long Hour)
{
    public const long MillisecondsPerHour = 3_600_000;

    public static PartitionKey For(string table, long utcMs) => new(table, FloorDiv(utcMs, MillisecondsPerHour));

    public DateTime HourStartUtc => DateTime.UnixEpoch.AddHours(Hour);

    /// <summary><c>year=2021/month=09/day=16/hour=05</c></summary>
    public string HivePath => HourPath(Hour);

    public static string HourPath(long hour)
    {
        var t = DateTime.UnixEpoch.AddHours(hour);
        return string.Create(CultureInfo.InvariantCulture, $"year={t.Year:D4}/month={t.Month:D2}/day={t.Day:D2}/hour={t.Hour:D2}");
    }

    /// <summary>The partition's name in a lease's progress map: <c>table/hour-number</c>.</summary>
    public string JournalName => string.Create(CultureInfo.InvariantCulture, $"{Table}/{Hour}");

    /// <summary>The journal name of the rejected events of an hour.</summary>
    public static string ErrorsJournalName(long hour) => string.Create(CultureInfo.InvariantCulture, $"_errors/{hour}");

    public override string ToString() => $"{Table}/{HivePath}";

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : ((a + 1) / b) - 1;
}
