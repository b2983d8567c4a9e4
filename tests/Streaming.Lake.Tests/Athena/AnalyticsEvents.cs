using System.Globalization;

namespace Streaming.Lake.Tests.Athena;

/// <summary>
/// A small, seeded history of a learning service with the cases the analysts' queries must get right: dates written
/// with offsets that cross UTC midnight, users registered twice, exercises started and payments made before
/// registering, two exercise starts at the same instant (ordered by id), clears exactly at and just inside the 24 hours
/// after registering, more than ten clears, a user who paid without starting an exercise, a user who never registered.
/// </summary>
internal static class AnalyticsEvents
{
    public const int RegisteredUsers = 40;

    private static readonly (string Country, TimeSpan Offset)[] Countries =
    [
        ("JP", TimeSpan.FromHours(9)), ("JP", TimeSpan.FromHours(9)), ("JP", TimeSpan.Zero), ("US", TimeSpan.FromHours(-5)),
        ("US", TimeSpan.FromHours(-8)), ("BR", TimeSpan.FromHours(-3)), ("FR", TimeSpan.FromHours(1)), ("IN", new TimeSpan(5, 30, 0)),
    ];

    private static readonly DateTimeOffset Start = new(2021, 9, 16, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<AnalyticsEvent> Create(int seed = 7)
    {
        var random = new Random(seed);
        var events = new List<AnalyticsEvent>();
        var counter = 0;
        void Add(string type, long user, DateTimeOffset time, Dictionary<string, object>? parameters = null)
        {
            var (country, offset) = CountryOf(user);
            events.Add(new AnalyticsEvent($"e{++counter:D5}", type, user, country, time, offset, parameters ?? []));
        }

        DateTimeOffset Within(DateTimeOffset from, double hoursBefore, double hoursAfter) =>
            from.AddMilliseconds(Math.Round((random.NextDouble() * (hoursAfter + hoursBefore) - hoursBefore) * 3_600_000));

        for (var user = 1; user <= RegisteredUsers; user++)
        {
            var registered = Start.AddMinutes(random.Next(0, 3 * 24 * 60)).AddMilliseconds(random.Next(0, 60_000));
            Add("user_registration", user, registered, new() { ["provider"] = random.Next(2) == 0 ? "google" : "email" });
            if (user % 13 == 0)
            {
                // Registered again later: the first registration counts.
                Add("user_registration", user, registered.AddHours(30), new() { ["provider"] = "apple" });
            }

            // User 6 pays but never starts an exercise: the funnel's third step must not count them.
            for (var i = random.Next(0, 6); i > 0 && user != 6; i--)
            {
                Add("exercise_started", user, Within(registered, 3, 40), new() { ["exercise_id"] = Exercise(random.Next(1, 5)) });
            }

            for (var i = random.Next(0, 15); i > 0; i--)
            {
                Add("exercise_cleared", user, Within(registered, 2, 36), new() { ["exercise_id"] = Exercise(random.Next(1, 5)), ["score"] = random.Next(40, 100) });
            }

            for (var i = random.Next(0, 4) - 1; i > 0; i--)
            {
                Add("payment", user, Within(registered, 6, 48), new() { ["amount"] = 9.99, ["currency"] = "USD" });
            }

            for (var i = random.Next(1, 6); i > 0; i--)
            {
                Add(random.Next(3) switch { 0 => "page_view", 1 => "lesson_started", _ => "lesson_completed" }, user, Within(registered, 0, 60), new() { ["path"] = "/home" });
            }

            if (user == 3)
            {
                Add("exercise_cleared", user, registered.AddDays(1), new() { ["exercise_id"] = "ex-009", ["score"] = 1 });
                Add("exercise_cleared", user, registered.AddDays(1).AddMilliseconds(-1), new() { ["exercise_id"] = "ex-009", ["score"] = 2 });
                Add("exercise_cleared", user, registered.AddMilliseconds(-1), new() { ["exercise_id"] = "ex-009", ["score"] = 3 });
            }

            if (user == 5)
            {
                var at = registered.AddMinutes(1);
                Add("exercise_started", user, at, new() { ["exercise_id"] = "ex-008" });
                Add("exercise_started", user, at, new() { ["exercise_id"] = "ex-007" });
            }

            if (user == 6)
            {
                for (var i = 0; i < 12; i++)
                {
                    Add("exercise_cleared", user, registered.AddHours(i + 1), new() { ["exercise_id"] = Exercise(i + 1), ["score"] = 100 });
                }

                Add("payment", user, registered.AddHours(2), new() { ["amount"] = 199.0, ["currency"] = "USD" });
            }
        }

        // Never registered: in the payments and daily actives, not in the funnel or the first-day clears.
        Add("exercise_started", 99, Start.AddHours(5), new() { ["exercise_id"] = Exercise(1) });
        Add("payment", 99, Start.AddHours(6), new() { ["amount"] = 1200.0, ["currency"] = "JPY" });

        // The file's order is not time order, as in a real log.
        return [.. events.OrderBy(_ => random.Next())];
    }

    public static (string Country, TimeSpan Offset) CountryOf(long user) => Countries[(int)(user % Countries.Length)];

    private static string Exercise(int n) => string.Create(CultureInfo.InvariantCulture, $"ex-{n:D3}");
}
