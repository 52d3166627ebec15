public import EddyServer
import EddyStream
public import Hummingbird

/// The retail question as plain endpoints: which areas get the most traffic, traffic per window, where a
/// customer spends time. Served from the retail pipeline's live tables.
extension RetailApp {
    public func routes(_ api: APIContext) -> RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        let pipeline = name

        TopRoute(
            path: "/api/retail/areas", name: "areas", table: "areas", pipeline: pipeline,
            orders: [("traffic", "total_traffic"), ("duration", "total_duration")]
        ).add(to: routes, api: api)

        routes.get("/api/retail/windows") { request, _ in
            let query = QueryParameters(request)
            let area = query.string("area")
            let since = try query.timestamp("since")
            let limit = try query.integer("limit", in: 1...APIContext.maxTableLimit, default: 1000)!
            let table = try api.table("windows", of: pipeline)
            let cacheKey = "\(area ?? "\u{1}")\u{0}\(since.map(String.init) ?? "")\u{0}\(limit)"
            return try api.respond(to: request, table: table, cacheKey: cacheKey) { () throws(APIError) in
                let columns = table.columns
                let locationIndex = columns.firstIndex { $0.name == "location" }
                let startIndex = columns.firstIndex { $0.name == "window_start" }
                // Newest windows first, so `limit` keeps the recent ones; the response is in time order.
                let rows = table.query(
                    orderBy: startIndex == nil ? nil : "window_start", descending: true, limit: limit
                ) { row in
                    if let area, let locationIndex, row[locationIndex] != .string(area) { return false }
                    if let since, let startIndex, case .timestamp(let start) = row[startIndex] {
                        return start >= since
                    }
                    return true
                }
                return api.renderRows(name: "windows", table: table, rows: rows.reversed())
            }
        }

        routes.get("/api/retail/customers/{id}") { request, context in
            let id = try context.pathParameter("id")
            let table = try api.table("customers", of: pipeline)
            return try api.respond(to: request, table: table, cacheKey: "") { () throws(APIError) in
                guard let index = table.columns.firstIndex(where: { $0.name == "customer_id" }) else {
                    throw APIError(
                        status: .internalServerError, code: "internal",
                        message: "table '\(table.name)' has no column 'customer_id'")
                }
                let rows = table.query(orderBy: "dwell_time", descending: true, limit: nil) {
                    $0[index] == .string(id)
                }
                guard !rows.isEmpty else {
                    throw APIError.notFound("no visits recorded for customer '\(id)'")
                }
                var json = JSONWriter(capacity: 512)
                json.object { json in
                    json.field("customer") { $0.string(id) }
                    json.field("version") { $0.int(table.version) }
                    json.field("areas") { $0.rows(rows, columns: table.columns) }
                }
                return json.bytes
            }
        }
        return routes
    }
}
