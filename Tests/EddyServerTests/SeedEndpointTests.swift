import EddyApps
import EddyServer
import EddyStream
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct SeedEndpointTests {
    @Test func retailAreas() async throws {
        let fixture = Fixture()
        try await CheckedClient.with(fixture) { client in
            let traffic = try await client.get("/api/retail/areas?top=3")
            let areas = traffic.json["areas"] as? [[String: Any]] ?? []
            #expect(areas.map { $0["location"] as? String } == ["Corredor_A", "Entrada", "Caixa"])

            let duration = try await client.get("/api/retail/areas?order=duration&top=1")
            #expect(
                (duration.json["areas"] as? [[String: Any]])?.map { $0["location"] as? String } == ["Caixa"])

            // A new batch changes the table's version, and the cached answer with it.
            fixture.areas.upsert([[.string("Corredor_B"), .int(1000), .double(20), .double(0.02)]])
            let after = try await client.get("/api/retail/areas?top=3")
            #expect((after.json["areas"] as? [[String: Any]])?.first?["location"] as? String == "Corredor_B")
            #expect((after.json["version"] as? Int ?? 0) > (traffic.json["version"] as? Int ?? 0))
        }
    }

    @Test func retailAreasRejectBadParameters() async throws {
        try await CheckedClient.with(Fixture()) { client in
            for (query, parameter) in [
                ("top=abc", "top"), ("top=0", "top"), ("top=1001", "top"), ("top=-1", "top"),
                ("order=price", "order"),
                ("top=99999999999999999999999", "top"),
            ] {
                let reply = try await client.get("/api/retail/areas?\(query)")
                #expect(reply.status == .badRequest, "\(query)")
                #expect(reply.json["error"] as? String == "bad_parameter")
                #expect(reply.json["parameter"] as? String == parameter)
                #expect((reply.json["message"] as? String)?.hasPrefix("'\(parameter)'") == true)
            }
            let top = try await client.get("/api/retail/areas?top=abc")
            #expect(top.json["message"] as? String == "'top' must be an integer 1…1000, got 'abc'")
        }
    }

    @Test func retailWindows() async throws {
        try await CheckedClient.with(Fixture()) { client in
            let all = try await client.get("/api/retail/windows")
            let windows = all.json["windows"] as? [[String: Any]] ?? []
            #expect(windows.count == 3)
            #expect(windows.first?["window_start"] as? String == "2024-05-01T10:00:00.000000Z")
            #expect(windows.last?["window_start"] as? String == "2024-05-01T10:01:00.000000Z")

            let entrada = try await client.get("/api/retail/windows?area=Entrada")
            #expect(
                (entrada.json["windows"] as? [[String: Any]])?.map { $0["traffic"] as? Int } == [5, 7])

            let since = try await client.get("/api/retail/windows?since=2024-05-01T10:00:30Z")
            #expect((since.json["windows"] as? [[String: Any]])?.count == 1)
            let sinceMillis = try await client.get("/api/retail/windows?since=1714557660000")
            #expect((sinceMillis.json["windows"] as? [[String: Any]])?.count == 1)

            let bad = try await client.get("/api/retail/windows?since=yesterday")
            #expect(bad.status == .badRequest)
            #expect(bad.json["parameter"] as? String == "since")
        }
    }

    @Test func retailCustomers() async throws {
        try await CheckedClient.with(Fixture()) { client in
            let customer = try await client.get("/api/retail/customers/Cliente_1")
            #expect(customer.json["customer"] as? String == "Cliente_1")
            let areas = customer.json["areas"] as? [[String: Any]] ?? []
            #expect(areas.map { $0["location"] as? String } == ["Caixa", "Entrada"])

            let unknown = try await client.get("/api/retail/customers/Cliente_999")
            #expect(unknown.status == .notFound)
            #expect(unknown.json["error"] as? String == "not_found")
        }
    }

    @Test func salesProducts() async throws {
        try await CheckedClient.with(Fixture()) { client in
            let bySales = try await client.get("/api/sales/products?top=2")
            #expect(
                (bySales.json["products"] as? [[String: Any]])?.map { $0["product_name"] as? String } == [
                    "Smart TV", "Notebook",
                ])
            let byUnits = try await client.get("/api/sales/products?order=units&top=1")
            #expect(
                (byUnits.json["products"] as? [[String: Any]])?.map { $0["product_name"] as? String } == [
                    "Mouse"
                ])

            let product = try await client.get("/api/sales/products/Smart%20TV")
            #expect(product.json["units"] as? Int == 3)
            #expect(product.text.contains(#""total_sales":12999.00"#))

            let missing = try await client.get("/api/sales/products/Toaster")
            #expect(missing.status == .notFound)
            let bad = try await client.get("/api/sales/products?order=name")
            #expect(bad.status == .badRequest)
            #expect(bad.json["parameter"] as? String == "order")
        }
    }

    @Test func seedEndpointsWithoutTheirPipeline() async throws {
        let fixture = Fixture()
        let server = EddyServer(pipelines: [fixture.sales], log: nil, modules: [RetailApp(), SalesApp()])
        try await server.application().test(.router) { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get) {
                Data($0.body.readableBytesView)
            }
            let checked = CheckedClient(client: client, checker: try OpenAPIChecker(json: document))
            let reply = try await checked.get("/api/retail/areas")
            #expect(reply.status == .notFound)
            #expect((reply.json["message"] as? String)?.contains("'retail'") == true)
            let topics = try await checked.get("/api/topics")
            #expect((topics.json["topics"] as? [Any])?.isEmpty == true)
        }
    }
}
