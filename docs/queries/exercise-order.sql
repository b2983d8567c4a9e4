-- The order in which users start exercises: each user's first three exercises, most common sequences first.
-- Ties in time are broken by the event id, so the answer does not depend on file order.
WITH ranked AS (
    SELECT user_id,
           exercise_id,
           row_number() OVER (PARTITION BY user_id ORDER BY "date", id) AS n
    FROM exercise_started
),
firsts AS (
    SELECT user_id,
           max(CASE WHEN n = 1 THEN exercise_id END) AS first_exercise,
           max(CASE WHEN n = 2 THEN exercise_id END) AS second_exercise,
           max(CASE WHEN n = 3 THEN exercise_id END) AS third_exercise
    FROM ranked
    WHERE n <= 3
    GROUP BY user_id
)
SELECT concat_ws(' -> ', first_exercise, second_exercise, third_exercise) AS first_exercises,
       count(*) AS users
FROM firsts
GROUP BY 1
ORDER BY users DESC, first_exercises
LIMIT 10
