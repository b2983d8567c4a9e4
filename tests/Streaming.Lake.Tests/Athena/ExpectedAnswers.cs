using System.Globalization;

namespace Streaming.Lake.Tests.Athena;

/// <summary>
/// The answers to docs/queries computed in C# from the events themselves, independently of the lake, DuckDB and the
/// SQL: what an analyst would count by hand. Rows are lists of values in the queries' column order.
/// </summary>
internal static class ExpectedAnswers
{
    public static List<object[]> PayingUsersByCountry(IReadOnlyList<AnalyticsEvent> events) =>
        [.. events.Where(e => e.Type == "payment")
            .GroupBy(e => e.Country)
            .Select(g => new object[] { g.Key, (long)g.Select(e => e.UserId).Distinct().Count(), (long)g.Count() })
            .OrderByDescending(r => (long)r[1]).ThenBy(r => (string)r[0], StringComparer.Ordinal)];

    public static List<object[]> ExerciseOrder(IReadOnlyList<AnalyticsEvent> events) =>
        [.. events.Where(e => e.Type == "exercise_started")
            .GroupBy(e => e.UserId)
            .Select(g => string.Join(" -> ", g.OrderBy(e => e.Time).ThenBy(e => e.Id, StringComparer.Ordinal).Take(3).Select(e => (string)e.Params["exercise_id"])))
            .GroupBy(sequence => sequence)
            .Select(g => new object[] { g.Key, (long)g.Count() })
            .OrderByDescending(r => (long)r[1]).ThenBy(r => (string)r[0], StringComparer.Ordinal)
            .Take(10)];

    public static List<object[]> ClearedWithinADay(IReadOnlyList<AnalyticsEvent> events)
    {
        var registered = Registrations(events);
        var buckets = registered
            .Select(r => events.Count(e => e.Type == "exercise_cleared" && e.UserId == r.Key && e.Time >= r.Value && e.Time < r.Value.AddDays(1)))
            .Select(n => n >= 10 ? "10+" : n.ToString(CultureInfo.InvariantCulture).PadLeft(2))
            .GroupBy(b => b)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        return [.. buckets.Select(g => new object[] { g.Key, (long)g.Count(), Percent(g.Count(), registered.Count) })];
    }

    public static List<object[]> DailyActiveUsersByCountry(IReadOnlyList<AnalyticsEvent> events) =>
        [.. events.GroupBy(e => (Date: DateOnly.FromDateTime(e.Time.UtcDateTime), e.Country))
            .Select(g => new object[] { g.Key.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), g.Key.Country, (long)g.Select(e => e.UserId).Distinct().Count() })
            .OrderBy(r => (string)r[0], StringComparer.Ordinal).ThenByDescending(r => (long)r[2]).ThenBy(r => (string)r[1], StringComparer.Ordinal)];

    public static List<object[]> Funnel(IReadOnlyList<AnalyticsEvent> events)
    {
        var registered = Registrations(events);
        var firstExercise = registered
            .Select(r => (User: r.Key, At: events.Where(e => e.Type == "exercise_started" && e.UserId == r.Key && e.Time >= r.Value).Select(e => (DateTimeOffset?)e.Time).Min()))
            .Where(f => f.At is not null)
            .ToDictionary(f => f.User, f => f.At!.Value);
        var paid = firstExercise.Count(f => events.Any(e => e.Type == "payment" && e.UserId == f.Key && e.Time >= f.Value));
        return
        [
            [1L, "registered", (long)registered.Count, Percent(registered.Count, registered.Count)],
            [2L, "started an exercise", (long)firstExercise.Count, Percent(firstExercise.Count, registered.Count)],
            [3L, "paid", (long)paid, Percent(paid, registered.Count)],
        ];
    }

    /// <summary>Each registered user's first registration.</summary>
    private static Dictionary<long, DateTimeOffset> Registrations(IReadOnlyList<AnalyticsEvent> events) =>
        events.Where(e => e.Type == "user_registration").GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.Min(e => e.Time));

    private static double Percent(int part, int whole) => (double)Math.Round(100m * part / whole, 1, MidpointRounding.AwayFromZero);
}
