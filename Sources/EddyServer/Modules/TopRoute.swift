import EddyStream
public import Hummingbird

/// `GET path?order=<one of orders>&top=N`: a table's rows sorted by the chosen order's column, largest
/// first, as `{"version": …, "<name>": [...]}`; the first order is the default. The shape of most "what is
/// biggest right now" questions an app answers.
///
/// ```swift
/// TopRoute(path: "/api/sales/products", name: "products", table: "product_sales", pipeline: "sales",
///          orders: [("total_sales", "total_sales"), ("units", "units")]).add(to: routes, api: api)
/// ```
public struct TopRoute: Sendable {
    public var path: String
    public var name: String
    public var table: String
    public var pipeline: String
    public var orders: [(parameter: String, column: String)]

    public init(
        path: String, name: String, table: String, pipeline: String,
        orders: [(parameter: String, column: String)]
    ) {
        precondition(!orders.isEmpty, "a top route needs at least one order")
        self.path = path
        self.name = name
        self.table = table
        self.pipeline = pipeline
        self.orders = orders
    }

    public func add(to routes: RouteCollection<BasicRequestContext>, api: APIContext) {
        let (name, tableName, pipeline, orders) = (self.name, self.table, self.pipeline, self.orders)
        routes.get(RouterPath(path)) { request, _ in
            let query = QueryParameters(request)
            let order = try query.choice("order", of: orders.map(\.parameter), default: orders[0].parameter)
            let top = try query.integer("top", in: 1...1000, default: 10)!
            let table = try api.table(tableName, of: pipeline)
            let column = orders.first { $0.parameter == order }!.column
            return try api.respond(to: request, table: table, cacheKey: "\(order)\u{0}\(top)") {
                () throws(APIError) in
                api.renderRows(
                    name: name, table: table, rows: table.query(orderBy: column, descending: true, limit: top)
                )
            }
        }
    }
}
