-- Paying users per country: how many distinct users paid, and how many payments they made.
-- Athena: add a partition filter (WHERE year = 2021 AND month = 9) to scan only those months.
SELECT country_code AS country,
       count(DISTINCT user_id) AS paying_users,
       count(*) AS payments
FROM payment
GROUP BY country_code
ORDER BY paying_users DESC, country
