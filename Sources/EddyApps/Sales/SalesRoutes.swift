public import EddyServer
import EddyStream
public import Hummingbird

/// The sales question as plain endpoints: which products sell most, and one product's totals.
extension SalesApp {
    public func routes(_ api: APIContext) -> RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        let pipeline = name
        TopRoute(
            path: "/api/sales/products", name: "products", table: SalesPipeline.table, pipeline: pipeline,
            orders: [("total_sales", "total_sales"), ("units", "units")]
        ).add(to: routes, api: api)

        routes.get("/api/sales/products/{name}") { request, context in
            let product = try context.pathParameter("name")
            let table = try api.table(SalesPipeline.table, of: pipeline)
            return try api.respond(to: request, table: table, cacheKey: "") { () throws(APIError) in
                guard let row = table.lookup(key: [product]).first else {
                    throw APIError.notFound("no sales recorded for product '\(product)'")
                }
                var json = JSONWriter(capacity: 256)
                json.row(row, columns: table.columns)
                return json.bytes
            }
        }
        return routes
    }
}
