-- Seed 003 (sales) as SQL: each order's products exploded, exact DECIMAL totals per product.
--   eddy run --file examples/sql/sales.sql --trigger once
-- Unlike SalesPipeline, invalid orders are not sent to a dead-letter topic (SQL has no record validation
-- yet); on valid orders the results are the same.
CREATE SOURCE ecommerce_sales (
    order_id STRING,
    client_document STRING,
    products ARRAY<ROW<product_name STRING, quantity BIGINT, price DECIMAL(10, 2)>>,
    total_value DECIMAL(10, 2),
    sale_datetime TIMESTAMP
) WITH (topic = 'ecommerce_sales', format = 'json');

CREATE SINK product_sales WITH (mode = 'update') AS
SELECT p.product_name AS product_name,
       sum(p.quantity * p.price) AS total_sales,
       sum(p.quantity) AS units,
       count(*) AS orders
FROM ecommerce_sales CROSS JOIN UNNEST(products) AS p
GROUP BY p.product_name;
