using Streaming.Cli.Query;

namespace Streaming.Cli.Demo;

/// <summary>The three questions the demo asks of the lake, as an analyst would in Redash.</summary>
internal static class DemoAnalyses
{
    public static IReadOnlyList<(string Title, string Sql)> All { get; } =
    [
        ("Paying users per country", """
            SELECT country_code AS country,
                   count(DISTINCT user_id) AS paying_users,
                   count(*) AS payments,
                   string_agg(DISTINCT currency, ',' ORDER BY currency) AS currencies
            FROM payment
            GROUP BY country_code
            ORDER BY paying_users DESC, country
            """),
        ("The order in which users start exercises (first three, most common)", """
            WITH firsts AS (
                SELECT user_id, list(exercise_id ORDER BY date, id)[1:3] AS first_three
                FROM exercise_started
                GROUP BY user_id)
            SELECT array_to_string(first_three, ' -> ') AS first_exercises, count(*) AS users
            FROM firsts
            GROUP BY first_three
            ORDER BY users DESC, first_exercises
            LIMIT 10
            """),
        ("Exercises cleared within a day of registering", """
            WITH registered AS (
                SELECT user_id, min(date) AS at FROM user_registration GROUP BY user_id),
            cleared AS (
                SELECT r.user_id, count(c.user_id) AS n
                FROM registered r
                LEFT JOIN exercise_cleared c
                  ON c.user_id = r.user_id AND c.date >= r.at AND c.date < r.at + INTERVAL 1 DAY
                GROUP BY r.user_id)
            SELECT CASE WHEN n >= 10 THEN '10+' ELSE lpad(CAST(n AS VARCHAR), 2, ' ') END AS exercises_cleared,
                   count(*) AS users,
                   round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS percent
            FROM cleared
            GROUP BY 1
            ORDER BY 1
            """),
    ];
}
