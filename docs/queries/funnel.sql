-- The funnel from registration to first exercise to first payment: how many registered users went on to start an
-- exercise, and how many of those then paid, each step counted after the one before it. One row per step, the
-- shape Redash's funnel chart takes.
WITH registered AS (
    SELECT user_id, min("date") AS at
    FROM user_registration
    GROUP BY user_id
),
first_exercise AS (
    SELECT r.user_id, min(e."date") AS at
    FROM registered r
    JOIN exercise_started e ON e.user_id = r.user_id AND e."date" >= r.at
    GROUP BY r.user_id
),
first_payment AS (
    SELECT f.user_id, min(p."date") AS at
    FROM first_exercise f
    JOIN payment p ON p.user_id = f.user_id AND p."date" >= f.at
    GROUP BY f.user_id
),
steps AS (
    SELECT 1 AS step, 'registered' AS stage, count(*) AS users FROM registered
    UNION ALL SELECT 2, 'started an exercise', count(*) FROM first_exercise
    UNION ALL SELECT 3, 'paid', count(*) FROM first_payment
)
SELECT step,
       stage,
       users,
       round(100.0 * users / max(users) OVER (), 1) AS percent_of_registered
FROM steps
ORDER BY step
