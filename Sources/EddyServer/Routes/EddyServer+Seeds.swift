import EddyStream
import Hummingbird

/// The seeds' business questions as plain endpoints: which areas get the most traffic, traffic per window,
/// where a customer spends time, which products sell most.
extension EddyServer {
    func addSeedRoutes(to router: Router<BasicRequestContext>) {
        let retail = seeds.retail
        let sales = seeds.sales

        addTopRoute(
            to: router, path: "/api/retail/areas", name: "areas", table: retail.areasTable,
            of: retail.pipeline,
            orders: [("traffic", retail.trafficColumn), ("duration", retail.durationColumn)])

        router.get("/api/retail/windows") { request, _ in
            let query = QueryParameters(request)
            let area = query.string("area")
            let since = try query.timestamp("since")
            let limit = try query.integer("limit", in: 1...Self.maxTableLimit, default: 1000)!
            let table = try table(retail.windowsTable, of: retail.pipeline)
            let cacheKey = "windows\u{0}\(area ?? "\u{1}")\u{0}\(since.map(String.init) ?? "")\u{0}\(limit)"
            let version = table.version
            let body = try cache.body(for: cacheKey, version: version) { () throws(APIError) in
                let columns = table.columns
                let locationIndex = columns.firstIndex { $0.name == retail.locationColumn }
                let startIndex = columns.firstIndex { $0.name == retail.windowStartColumn }
                // Newest windows first, so `limit` keeps the recent ones; the response is in time order.
                var rows = table.query(
                    orderBy: startIndex == nil ? nil : retail.windowStartColumn, descending: true, limit: nil)
                if let area, let locationIndex {
                    rows.removeAll { $0[locationIndex] != .string(area) }
                }
                if let since, let startIndex {
                    rows.removeAll { row in
                        if case .timestamp(let start) = row[startIndex] { return start < since }
                        return false
                    }
                }
                return renderRows(name: "windows", table: table, rows: Array(rows.prefix(limit).reversed()))
            }
            return hot.respond(to: request, table: table, version: version, body: body)
        }

        router.get("/api/retail/customers/{id}") { request, context in
            let id = try context.pathParameter("id")
            let table = try table(retail.customersTable, of: retail.pipeline)
            let version = table.version
            let body = try cache.body(for: "customer\u{0}\(id)", version: version) {
                () throws(APIError) in
                guard let index = table.columns.firstIndex(where: { $0.name == retail.customerColumn }) else {
                    throw APIError(
                        status: .internalServerError, code: "internal",
                        message: "table '\(table.name)' has no column '\(retail.customerColumn)'")
                }
                let rows = table.query(orderBy: retail.dwellColumn, descending: true, limit: nil)
                    .filter { $0[index] == .string(id) }
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
            return hot.respond(to: request, table: table, version: version, body: body)
        }

        addTopRoute(
            to: router, path: "/api/sales/products", name: "products", table: sales.productsTable,
            of: sales.pipeline,
            orders: [("total_sales", sales.totalSalesColumn), ("units", sales.unitsColumn)])

        router.get("/api/sales/products/{name}") { request, context in
            let name = try context.pathParameter("name")
            let table = try table(sales.productsTable, of: sales.pipeline)
            let version = table.version
            let body = try cache.body(for: "product\u{0}\(name)", version: version) {
                () throws(APIError) in
                guard let row = table.lookup(key: [name]).first else {
                    throw APIError.notFound("no sales recorded for product '\(name)'")
                }
                var json = JSONWriter(capacity: 256)
                json.row(row, columns: table.columns)
                return json.bytes
            }
            return hot.respond(to: request, table: table, version: version, body: body)
        }
    }

    /// `GET path?order=<one of orders>&top=N`: the table's rows sorted by the order's column, largest first,
    /// as `{"version": …, "<name>": [...]}`; the first order is the default.
    func addTopRoute(
        to router: Router<BasicRequestContext>, path: RouterPath, name: String, table tableName: String,
        of pipelineName: String, orders: [(parameter: String, column: String)]
    ) {
        router.get(path) { request, _ in
            let query = QueryParameters(request)
            let order = try query.choice("order", of: orders.map(\.parameter), default: orders[0].parameter)
            let top = try query.integer("top", in: 1...1000, default: 10)!
            let table = try table(tableName, of: pipelineName)
            let column = orders.first { $0.parameter == order }!.column
            let version = table.version
            let body = try cache.body(for: "\(name)\u{0}\(order)\u{0}\(top)", version: version) {
                () throws(APIError) in
                let rows = table.query(orderBy: column, descending: true, limit: top)
                return renderRows(name: name, table: table, rows: rows)
            }
            return hot.respond(to: request, table: table, version: version, body: body)
        }
    }

    /// `{"version": 7, "<name>": [{…}, …]}`
    func renderRows(name: String, table: any LiveTableReader, rows: [Row]) -> [UInt8] {
        var json = JSONWriter(capacity: 128 + rows.count * 128)
        json.object { json in
            json.field("version") { $0.int(table.version) }
            json.field(name) { $0.rows(rows, columns: table.columns) }
        }
        return json.bytes
    }
}
