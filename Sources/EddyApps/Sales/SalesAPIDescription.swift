public import EddyServer
import OpenAPIKit

extension SalesApp {
    public var openAPI: OpenAPIFragment {
        OpenAPIFragment(
            paths: [
                "/api/sales/products": .get(
                    "Best-selling products",
                    parameters: [
                        .query("order", .choice(["total_sales", "units"], default: "total_sales")),
                        .query("top", .integer(1...1000, default: 10)),
                    ],
                    ok: "Products, best first", .json("Products"), errors: [400, 404]),
                "/api/sales/products/{name}": .get(
                    "One product's totals", parameters: [.path("name")], ok: "The product", .json("Product"),
                    errors: [404]),
            ],
            schemas: [
                "Products": .object(properties: ["version": .integer, "products": .arrayOf("Product")]),
                "Product": .object(properties: [
                    "product_name": .string,
                    "total_sales": .number(description: "Exact decimal: Σ quantity × price"),
                    "units": .integer(required: false),
                    "orders": .integer(required: false),
                ]),
            ])
    }
}
