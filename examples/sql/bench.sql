-- eddy bench sql examples/sql/bench.sql: each query by eddy sql and by DuckDB over the same events.
-- Sources motion and ecommerce_sales are declared by the benchmark (seed schemas).
-- A '-- duckdb:' line gives DuckDB's spelling where the dialects differ.

-- query: seed
SELECT location, sum(duration) AS total_duration, sum(traffic_count) AS total_traffic,
       avg(duration) AS avg_duration
FROM motion WHERE duration IS NOT NULL AND location IS NOT NULL GROUP BY location

-- query: filters
SELECT location, sum(duration / 60) AS minutes, count(*) AS n
FROM motion
WHERE traffic_count BETWEEN 3 AND 8 AND location LIKE 'Corredor%' AND duration > 10
GROUP BY location

-- query: computed-key
SELECT CASE WHEN traffic_count > 5 THEN 'busy' ELSE 'quiet' END AS level, location, count(*) AS n,
       max(duration) AS longest
FROM motion WHERE location IN ('Caixa', 'Entrada', 'Corredor_A') GROUP BY 1, 2

-- query: two-keys
SELECT customer_id, location, sum(duration) AS dwell_time, count(*) AS visits
FROM motion WHERE duration IS NOT NULL AND location IS NOT NULL GROUP BY customer_id, location

-- query: having
SELECT id_sensor, sum(traffic_count) AS traffic, count(*) AS readings
FROM motion GROUP BY id_sensor HAVING count(*) > 5 AND sum(traffic_count) > 20

-- query: window
SELECT window_start, window_end, location, sum(traffic_count) AS traffic, count(*) AS readings
FROM TUMBLE(motion, timestamp, INTERVAL '1' MINUTE)
WHERE duration IS NOT NULL AND location IS NOT NULL
GROUP BY window_start, window_end, location
-- duckdb: SELECT time_bucket(INTERVAL 1 minute, timestamp) AS window_start,
-- duckdb:        time_bucket(INTERVAL 1 minute, timestamp) + INTERVAL 1 minute AS window_end,
-- duckdb:        location, sum(traffic_count) AS traffic, count(*) AS readings
-- duckdb: FROM motion WHERE duration IS NOT NULL AND location IS NOT NULL GROUP BY ALL

-- query: top
SELECT location, sum(traffic_count) AS total_traffic, sum(duration) AS total_duration
FROM motion WHERE duration IS NOT NULL AND location IS NOT NULL
GROUP BY location ORDER BY total_traffic DESC LIMIT 3

-- query: unnest
SELECT p.product_name AS product_name, sum(p.quantity * p.price) AS total_sales,
       sum(p.quantity) AS units, count(*) AS orders
FROM ecommerce_sales CROSS JOIN UNNEST(products) AS p
GROUP BY p.product_name
-- duckdb: SELECT p.product_name AS product_name, sum(p.quantity * p.price) AS total_sales,
-- duckdb:        sum(p.quantity) AS units, count(*) AS orders
-- duckdb: FROM (SELECT unnest(products) AS p FROM ecommerce_sales) GROUP BY p.product_name
