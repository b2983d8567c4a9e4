-- Exercises cleared within a day of registering: users by how many exercises they cleared in the 24 hours after
-- their registration (0 to 9, then 10+), with their share of all registered users.
WITH registered AS (
    SELECT user_id, min("date") AS registered_at
    FROM user_registration
    GROUP BY user_id
),
cleared AS (
    SELECT r.user_id, count(c.user_id) AS n
    FROM registered r
    LEFT JOIN exercise_cleared c
      ON c.user_id = r.user_id
     AND c."date" >= r.registered_at
     AND c."date" < r.registered_at + INTERVAL '1' DAY
    GROUP BY r.user_id
)
SELECT CASE WHEN n >= 10 THEN '10+' ELSE lpad(CAST(n AS varchar), 2, ' ') END AS exercises_cleared,
       count(*) AS users,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS percent
FROM cleared
GROUP BY 1
ORDER BY 1
