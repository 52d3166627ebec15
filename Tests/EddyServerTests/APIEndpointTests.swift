import EddyServer
import EddyStream
import Foundation
import HTTPTypes
import Testing

@Suite struct APIEndpointTests {
    @Test func healthAndOpenAPIDocument() async throws {
        try await CheckedClient.with(Fixture()) { client in
            let health = try await client.get("/health")
            #expect(health.status == .ok)
            #expect(health.json["status"] as? String == "ok")
            #expect(health.json["pipelines"] as? Int == 2)

            let document = try await client.get("/openapi.json")
            #expect(document.json["openapi"] as? String == "3.1.0")
            let paths = (document.json["paths"] as? [String: Any])?.keys.sorted() ?? []
            for route in [
                "/health", "/metrics", "/api/topics", "/api/topics/{name}", "/api/pipelines",
                "/api/pipelines/{name}",
                "/api/pipelines/{name}/tables/{table}", "/api/pipelines/{name}/stream", "/api/retail/areas",
                "/api/retail/windows", "/api/retail/customers/{id}", "/api/sales/products",
                "/api/sales/products/{name}", "/",
            ] {
                #expect(paths.contains(route), "\(route) is not documented")
            }
        }
    }

    @Test func topics() async throws {
        try await CheckedClient.with(Fixture()) { client in
            let list = try await client.get("/api/topics")
            let topics = list.json["topics"] as? [[String: Any]] ?? []
            #expect(topics.map { $0["name"] as? String } == ["motion"])
            #expect(topics.first?["records"] as? Int == 140)
            #expect(topics.first?["bytes"] as? Int == 28_000)

            let motion = try await client.get("/api/topics/motion")
            let partitions = motion.json["partitions"] as? [[String: Any]] ?? []
            #expect(partitions.map { $0["endOffset"] as? Int } == [100, 50])
            #expect(partitions.map { $0["segments"] as? Int } == [1, 2])

            let missing = try await client.get("/api/topics/nope")
            #expect(missing.status == .notFound)
            #expect(missing.json["error"] as? String == "not_found")
            #expect((missing.json["message"] as? String)?.contains("eddy topics create nope") == true)
        }
    }

    @Test func pipelines() async throws {
        try await CheckedClient.with(Fixture()) { client in
            let list = try await client.get("/api/pipelines")
            let pipelines = list.json["pipelines"] as? [[String: Any]] ?? []
            #expect(pipelines.map { $0["name"] as? String } == ["retail", "sales"])

            Self.checkRetail(try await client.get("/api/pipelines/retail").json)
            let sales = try await client.get("/api/pipelines/sales")
            #expect(sales.json["lastBatch"] is NSNull)
            #expect(sales.json["checkpointAgeSeconds"] is NSNull)

            let missing = try await client.get("/api/pipelines/nope")
            #expect(missing.status == .notFound)
            #expect((missing.json["message"] as? String)?.contains("retail, sales") == true)
        }
    }

    static func checkRetail(_ retail: [String: Any]) {
        #expect(retail["state"] as? String == "running")
        #expect(retail["lag"] as? Int == 10)
        #expect(retail["deadLetters"] as? Int == 2)
        #expect(retail["lateRecords"] as? Int == 1)
        #expect(retail["recordsPerSecond"] as? Int == 2000)
        #expect(
            (retail["lastBatch"] as? [String: Any])?["finishedAt"] as? String == "2024-05-01T10:00:00.000000Z"
        )
        let letters = retail["recentDeadLetters"] as? [[String: Any]] ?? []
        #expect(letters.first?["reason"] as? String == "invalid JSON at byte 1")
        let tables = (retail["tables"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(tables == ["areas", "windows", "customers"])
    }

    @Test func liveTables() async throws {
        try await CheckedClient.with(Fixture()) { client in
            let sorted = try await client.get(
                "/api/pipelines/retail/tables/areas?orderBy=total_traffic&desc=true&limit=2")
            let rows = sorted.json["rows"] as? [[String: Any]] ?? []
            #expect(rows.map { $0["location"] as? String } == ["Corredor_A", "Entrada"])
            #expect(sorted.json["rowCount"] as? Int == 4)
            #expect(sorted.json["keyColumns"] as? [String] == ["location"])

            let ascending = try await client.get("/api/pipelines/retail/tables/areas?orderBy=total_traffic")
            #expect(
                (ascending.json["rows"] as? [[String: Any]])?.first?["location"] as? String == "Corredor_B")

            let byKey = try await client.get("/api/pipelines/retail/tables/areas?key=Caixa")
            #expect((byKey.json["rows"] as? [[String: Any]])?.map { $0["total_traffic"] as? Int } == [80])

            let composite = try await client.get(
                "/api/pipelines/retail/tables/customers?key=Cliente_1,Caixa")
            #expect((composite.json["rows"] as? [[String: Any]])?.first?["dwell_time"] as? Int == 40)

            let decimals = try await client.get("/api/pipelines/sales/tables/product_sales?key=Smart%20TV")
            // Exact decimals: the body carries 12999.00 verbatim, not a binary-float rendering.
            #expect(decimals.text.contains(#""total_sales":12999.00"#))

            let timestamps = try await client.get("/api/pipelines/retail/tables/windows?limit=1")
            #expect(timestamps.text.contains(#""window_start":"2024-05-01T10:00:00.000000Z""#))
        }
    }

    @Test func liveTableErrors() async throws {
        try await CheckedClient.with(Fixture()) { client in
            let badColumn = try await client.get("/api/pipelines/retail/tables/areas?orderBy=nope")
            #expect(badColumn.status == .badRequest)
            #expect(badColumn.json["error"] as? String == "bad_parameter")
            #expect(badColumn.json["parameter"] as? String == "orderBy")
            #expect((badColumn.json["message"] as? String)?.contains("total_traffic") == true)

            for bad in ["limit=0", "limit=10001", "limit=ten", "desc=maybe"] {
                let reply = try await client.get("/api/pipelines/retail/tables/areas?\(bad)")
                #expect(reply.status == .badRequest, "\(bad)")
                #expect(reply.json["parameter"] as? String == String(bad.split(separator: "=")[0]))
            }
            let shortKey = try await client.get("/api/pipelines/retail/tables/customers?key=Cliente_1")
            #expect(shortKey.status == .badRequest)
            #expect(shortKey.json["parameter"] as? String == "key")

            let noTable = try await client.get("/api/pipelines/retail/tables/nope")
            #expect(noTable.status == .notFound)
            #expect(
                (noTable.json["message"] as? String)?.contains("areas, windows, customers") == true)
        }
    }

    @Test func unknownRoutesAndMethodsAreJSON() async throws {
        try await CheckedClient.with(Fixture()) { client in
            let unknown = try await client.get("/api/nothing/here", documented: false)
            #expect(unknown.status == .notFound)
            #expect(unknown.contentType?.hasPrefix("application/json") == true)
            #expect(unknown.json["error"] as? String == "not_found")

            // A known path with a method it does not declare: 405 and what it does allow, as HTTP asks.
            let post = try await client.get("/api/retail/areas", method: .post, documented: false)
            #expect(post.status == .methodNotAllowed)
            #expect(post.allow == "GET")
            #expect(post.json["error"] as? String == "method_not_allowed")
            let trace = try await client.get("/api/topics", method: .trace, documented: false)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.allow == "GET")
            // A path under a parameter route, and one no route has.
            let delete = try await client.get(
                "/api/pipelines/retail/tables/areas", method: .delete, documented: false)
            #expect(delete.status == .methodNotAllowed)
            let nowhere = try await client.get("/api/nothing/here", method: .trace, documented: false)
            #expect(nowhere.status == .notFound)
        }
    }

    @Test func metrics() async throws {
        try await CheckedClient.with(Fixture()) { client in
            try await client.get("/api/retail/areas")
            let metrics = try await client.get("/metrics")
            #expect(metrics.status == .ok)
            #expect(
                metrics.text.contains(
                    #"eddy_pipeline_lag{pipeline="retail",topic="motion",partition="0"} 10"#))
            #expect(metrics.text.contains(#"eddy_pipeline_dead_letters{pipeline="retail"} 2"#))
            #expect(metrics.text.contains(#"eddy_topic_end_offset{topic="motion",partition="1"} 50"#))
            #expect(metrics.text.contains(#"eddy_http_responses_total{class="2xx"}"#))
        }
    }

    @Test func dashboardAssets() async throws {
        try await CheckedClient.with(Fixture()) { client in
            let page = try await client.get("/")
            #expect(page.contentType?.hasPrefix("text/html") == true)
            #expect(page.text.contains("/dashboard.js"))
            let script = try await client.get("/dashboard.js")
            #expect(script.text.contains("EventSource"))
            let style = try await client.get("/dashboard.css")
            #expect(style.status == .ok)
        }
    }
}
