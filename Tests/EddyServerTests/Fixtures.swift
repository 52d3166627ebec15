import EddyApps
import EddyLog
import EddyServer
import EddyStream
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A server over two fake pipelines shaped like the seeds, with known rows.
struct Fixture {
    let areas = MemoryTable(
        name: "areas",
        columns: [
            Column("location", .string), Column("total_traffic", .int), Column("total_duration", .double),
            Column("avg_duration", .double),
        ], keyColumns: [0])
    let windows = MemoryTable(
        name: "windows",
        columns: [
            Column("window_start", .timestamp), Column("window_end", .timestamp), Column("location", .string),
            Column("traffic", .int), Column("readings", .int),
        ], keyColumns: [0, 2])
    let customers = MemoryTable(
        name: "customers",
        columns: [
            Column("customer_id", .string), Column("location", .string), Column("dwell_time", .double),
            Column("visits", .int),
        ],
        keyColumns: [0, 1])
    let products = MemoryTable(
        name: "product_sales",
        columns: [
            Column("product_name", .string), Column("total_sales", .decimal(scale: 2)), Column("units", .int),
        ],
        keyColumns: [0])
    let retail: FakePipeline
    let sales: FakePipeline
    let server: EddyServer

    /// 2024-05-01T10:00:00Z in microseconds.
    static let t0: Int64 = 1_714_557_600_000_000
    static let minute: Int64 = 60_000_000

    init() {
        areas.upsert([
            [.string("Entrada"), .int(120), .double(310.5), .double(2.59)],
            [.string("Caixa"), .int(80), .double(900.25), .double(11.25)],
            [.string("Corredor_A"), .int(200), .double(150), .double(0.75)],
            [.string("Corredor_B"), .int(10), .double(20), .double(2)],
        ])
        windows.upsert([
            [.timestamp(Self.t0), .timestamp(Self.t0 + Self.minute), .string("Entrada"), .int(5), .int(2)],
            [.timestamp(Self.t0), .timestamp(Self.t0 + Self.minute), .string("Caixa"), .int(3), .int(1)],
            [
                .timestamp(Self.t0 + Self.minute), .timestamp(Self.t0 + 2 * Self.minute), .string("Entrada"),
                .int(7), .int(3),
            ],
        ])
        customers.upsert([
            [.string("Cliente_1"), .string("Entrada"), .double(12.5), .int(2)],
            [.string("Cliente_1"), .string("Caixa"), .double(40), .int(1)],
            [.string("Cliente_2"), .string("Caixa"), .double(3), .int(1)],
        ])
        products.upsert([
            [.string("Smart TV"), .decimal(DecimalValue(units: 1_299_900, scale: 2)), .int(3)],
            [.string("Mouse"), .decimal(DecimalValue(units: 45_000, scale: 2)), .int(50)],
            [.string("Notebook"), .decimal(DecimalValue(units: 899_999, scale: 2)), .int(2)],
        ])
        retail = FakePipeline(
            name: "retail", tables: [areas, windows, customers],
            status: PipelineSnapshot(
                state: .running, sources: ["motion"],
                partitions: [
                    PartitionProgress(topic: "motion", partition: 0, position: 90, endOffset: 100),
                    PartitionProgress(topic: "motion", partition: 1, position: 50, endOffset: 50),
                ],
                recordsIn: 140, recordsOut: 12, recordsPerSecond: 2000, deadLetters: 2, lateRecords: 1,
                lastBatch: BatchSummary(id: 7, finishedAtMicros: Self.t0, durationMillis: 3.5),
                checkpointAgeSeconds: 1.5,
                recentDeadLetters: [
                    DeadLetterSummary(
                        reason: "invalid JSON at byte 1", topic: "motion", partition: 0, offset: 17,
                        detail: "{oops")
                ]))
        sales = FakePipeline(
            name: "sales", tables: [products],
            status: PipelineSnapshot(state: .running, sources: ["ecommerce_sales"]))
        let log = TopicsLog([
            TopicDescription(
                name: "motion", config: TopicConfig(partitions: 2),
                partitions: [
                    PartitionDescription(
                        partition: 0, startOffset: 0, endOffset: 100, bytes: 20_000, segments: 1),
                    PartitionDescription(
                        partition: 1, startOffset: 10, endOffset: 50, bytes: 8_000, segments: 2),
                ])
        ])
        server = EddyServer(
            pipelines: [retail, sales], log: log, modules: [RetailApp(), SalesApp()],
            streamInterval: .milliseconds(10),
            heartbeatInterval: .milliseconds(20))
    }

    func application() -> some ApplicationProtocol {
        server.application()
    }
}

/// A response as the tests read it.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var contentType: String?
    var body: Data
    /// The `Allow` header (405 answers).
    var allow: String? = nil

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Sends a request and checks the response against `/openapi.json` before handing it back.
struct CheckedClient {
    let client: any TestClientProtocol
    let checker: OpenAPIChecker

    static func with(_ fixture: Fixture, _ body: @escaping @Sendable (CheckedClient) async throws -> Void)
        async throws
    {
        try await fixture.application().test(.router) { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get) {
                Data($0.body.readableBytesView)
            }
            try await body(CheckedClient(client: client, checker: try OpenAPIChecker(json: document)))
        }
    }

    @discardableResult
    func get(
        _ uri: String, method: HTTPRequest.Method = .get, documented: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws -> Reply
    {
        let reply = try await client.execute(uri: uri, method: method) { response in
            Reply(
                status: response.status, contentType: response.headers[.contentType],
                body: Data(response.body.readableBytesView), allow: response.headers[.allow])
        }
        let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
        let problems =
            documented
            ? checker.check(
                method: method.rawValue, path: path, status: reply.status.code,
                contentType: reply.contentType,
                body: reply.body)
            : checker.checkError(body: reply.body)
        #expect(
            problems.isEmpty, "\(uri): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
        return reply
    }
}
