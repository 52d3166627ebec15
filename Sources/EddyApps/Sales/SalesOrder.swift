public import EddyStream

/// Seed 003's order as the sales pipeline reads it from topic `ecommerce_sales`:
///
/// ```json
/// {"order_id": "6f1c9d2e-…", "client_document": "52998224725",
///  "products": [{"product_name": "Livro Sapiens", "quantity": 2, "price": 59.90}],
///  "total_value": 119.80, "sale_datetime": "2024-08-23T15:22:16.968007Z"}
/// ```
///
/// Money is `decimal(scale: 2)` — exact centavos from the JSON digits, never a binary double (a price with
/// more than two fraction digits is rounded half-up to the centavo by the decoder, as Spark's
/// `DecimalType(10, 2)` does).
public enum SalesOrder {
    public static let product: [Column] = [
        Column("product_name", .string),
        Column("quantity", .int),
        Column("price", .decimal(scale: 2)),
    ]

    public static let schema: Schema = [
        Column("order_id", .string),
        Column("client_document", .string),
        Column("products", .array(.object(product))),
        Column("total_value", .decimal(scale: 2)),
        Column("sale_datetime", .timestamp),
    ]
}
