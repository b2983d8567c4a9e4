-- Daily active users by country: users with at least one event of any kind on a UTC day.
-- List every event table of the lake here; Athena fails on a table that does not exist.
-- Athena: filter each SELECT on its partitions (WHERE year = 2021 AND month = 9) to scan only those days.
WITH activity AS (
    SELECT user_id, country_code, "date" FROM user_registration
    UNION ALL SELECT user_id, country_code, "date" FROM page_view
    UNION ALL SELECT user_id, country_code, "date" FROM lesson_started
    UNION ALL SELECT user_id, country_code, "date" FROM lesson_completed
    UNION ALL SELECT user_id, country_code, "date" FROM exercise_started
    UNION ALL SELECT user_id, country_code, "date" FROM exercise_cleared
    UNION ALL SELECT user_id, country_code, "date" FROM payment
)
SELECT CAST("date" AS date) AS activity_date,
       country_code AS country,
       count(DISTINCT user_id) AS active_users
FROM activity
GROUP BY 1, 2
ORDER BY activity_date, active_users DESC, country
