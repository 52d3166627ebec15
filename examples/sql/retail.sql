-- Seed 002 (retail) as SQL: the four tables of RetailPipeline over topic `motion`.
--   eddy run --file examples/sql/retail.sql --trigger once
CREATE SOURCE motion (
    timestamp TIMESTAMP,
    id_sensor STRING,
    location STRING,
    customer_id STRING,
    movement_detected BOOLEAN,
    duration DOUBLE,
    traffic_count BIGINT,
    WATERMARK FOR timestamp AS timestamp - INTERVAL '5' MINUTE
) WITH (topic = 'motion', format = 'json');

-- The seed's query: totals per store area.
CREATE SINK areas WITH (mode = 'complete') AS
SELECT location, sum(duration) AS total_duration, sum(traffic_count) AS total_traffic,
       avg(duration) AS avg_duration
FROM motion
WHERE duration IS NOT NULL AND location IS NOT NULL
GROUP BY location;

-- Traffic per area per one-minute event-time window (late rows up to the watermark's 5 minutes).
CREATE SINK windows WITH (mode = 'update') AS
SELECT window_start, window_end, location, sum(traffic_count) AS traffic, count(*) AS readings
FROM TUMBLE(motion, timestamp, INTERVAL '1' MINUTE)
WHERE duration IS NOT NULL AND location IS NOT NULL
GROUP BY window_start, window_end, location;

-- Dwell time per customer per area.
CREATE SINK customers WITH (mode = 'update') AS
SELECT customer_id, location, sum(duration) AS dwell_time, count(*) AS visits
FROM motion
WHERE duration IS NOT NULL AND location IS NOT NULL
GROUP BY customer_id, location;

-- The busiest areas.
CREATE SINK top WITH (mode = 'complete') AS
SELECT location, sum(traffic_count) AS total_traffic, sum(duration) AS total_duration
FROM motion
WHERE duration IS NOT NULL AND location IS NOT NULL
GROUP BY location
ORDER BY total_traffic DESC
LIMIT 3;
