import EddyApps
import EddyConnectors
import EddyLog
import EddyStream
import Foundation
import Testing

@Suite struct SalesPipelineTests {
    /// Σ quantity × price (centavos), Σ quantity and order lines per product, computed with Foundation's JSON
    /// parser from the raw records — independently of the engine.
    static func expectedTotals(_ records: [ProducerRecord]) throws -> [String: [Int64]] {
        var totals: [String: [Int64]] = [:]
        for record in records {
            let order = try #require(
                try JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any])
            for case let product as [String: Any] in order["products"] as! [Any] {
                let name = product["product_name"] as! String
                let quantity = Int64(product["quantity"] as! Int)
                let cents = Int64(((product["price"] as! Double) * 100).rounded())
                var entry = totals[name] ?? [0, 0, 0]
                entry[0] += quantity * cents
                entry[1] += quantity
                entry[2] += 1
                totals[name] = entry
            }
        }
        return totals
    }

    /// The table as [product: [total_sales in centavos, units, orders]], reading total_sales as text.
    static func storedTotals(_ path: String) throws -> [String: [Int64]] {
        let db = try SQLiteConnection(path: path)
        let statement = try db.prepare("SELECT product_name, total_sales, units, orders FROM product_sales")
        var totals: [String: [Int64]] = [:]
        while try statement.step() {
            let text = try #require(statement.text(1))
            let parts = text.split(separator: ".")
            #expect(parts.count == 2 && parts[1].count == 2, "total_sales '\(text)' is not exact centavos")
            let cents = Int64(parts[0])! * 100 + Int64(parts[1])!
            totals[statement.text(0)!] = [cents, statement.int(2), statement.int(3)]
        }
        return totals
    }

    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "eddy-sales-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    func orders(_ count: Int, seed: UInt64) -> [ProducerRecord] {
        var simulator = SalesSimulator(seed: seed)
        return (0..<count).map { _ in simulator.next() }
    }

    @Test func totalsPerProductAreExact() async throws {
        let records = orders(2000, seed: 3)
        let log = MemoryLog()
        try log.createTopic("ecommerce_sales", config: TopicConfig(partitions: 3))
        try log.append(records, to: "ecommerce_sales")
        let directory = try Self.temporaryDirectory()
        let path = directory + "/sales.sqlite"

        let sales = SalesPipeline()
        let sink = try SalesPipeline.sink(for: .sqlite(path: path))
        let runner = try PipelineRunner(
            sales.pipeline(to: sink).trigger(.once), log: log, dataDirectory: directory, clock: ManualClock())
        try await runner.run()

        let expected = try Self.expectedTotals(records)
        #expect(expected.count > 10)
        #expect(try Self.storedTotals(path) == expected)
        #expect(runner.status.deadLetters == 0)
    }

    @Test func invalidOrdersGoToTheDeadLetterTopicWithTheReason() async throws {
        let valid = orders(50, seed: 9)
        func order(_ products: String, total: String, at: String = "2024-08-23T15:22:16.968007Z")
            -> ProducerRecord
        {
            ProducerRecord(
                value: Array(
                    """
                    {"order_id":"x","client_document":"52998224725","products":\(products),\
                    "total_value":\(total),"sale_datetime":"\(at)"}
                    """.utf8))
        }
        let bad: [(ProducerRecord, String)] = [
            (
                order(#"[{"product_name":"A","quantity":0,"price":10.00}]"#, total: "0"),
                "quantity 0 is not positive"
            ),
            (order(#"[{"product_name":"A","quantity":-2,"price":10.00}]"#, total: "-20"), "quantity -2"),
            (
                order(#"[{"product_name":"A","quantity":1,"price":0}]"#, total: "0"),
                "price 0.00 is not positive"
            ),
            (order(#"[{"product_name":"A","quantity":1,"price":-5.5}]"#, total: "-5.5"), "price -5.50"),
            (order("[]", total: "0"), "products is empty"),
            (order("null", total: "0"), "products is missing"),
            (
                order(#"[{"product_name":"A","quantity":2,"price":10.00}]"#, total: "20.01"),
                "total_value 20.01 differs"
            ),
            (
                order(#"[{"product_name":"A","quantity":2,"price":10.00}]"#, total: "20", at: "yesterday"),
                "sale_datetime"
            ),
            (order(#"[{"quantity":2,"price":10.00}]"#, total: "20"), "no product_name"),
            (order(#"[{"product_name":"A","quantity":1.5,"price":10.00}]"#, total: "15"), "not an integer"),
        ]
        let log = MemoryLog()
        try log.createTopic("ecommerce_sales", config: TopicConfig(partitions: 1))
        try log.append(
            Array(valid.prefix(25)) + bad.map(\.0) + Array(valid.suffix(25)), to: "ecommerce_sales")
        let directory = try Self.temporaryDirectory()
        let path = directory + "/sales.sqlite"
        let runner = try PipelineRunner(
            SalesPipeline().pipeline(to: try SalesPipeline.sink(for: .sqlite(path: path))).trigger(.once),
            log: log,
            dataDirectory: directory, clock: ManualClock())
        try await runner.run()

        #expect(try Self.storedTotals(path) == (try Self.expectedTotals(valid)))
        #expect(runner.status.deadLetters == Int64(bad.count))
        let dead = try log.read(TopicPartition("ecommerce_sales.dlq", 0), from: 0, maxBytes: 1 << 20)
            .records()
        #expect(dead.count == bad.count)
        for (record, (original, reason)) in zip(dead, bad) {
            #expect(record.value == original.value)
            let detail = record.headers.first { $0.key == DeadLetterHeaders.detail }?.value ?? []
            let text = String(decoding: detail, as: UTF8.self)
            #expect(text.contains(reason), "dead letter says '\(text)', expected '\(reason)'")
            #expect(record.headers.contains(Header(DeadLetterHeaders.reason, "invalid")))
        }
    }

    /// A new process (new runner, new sink) after a crash: the engine checkpoint is older than the sink's
    /// committed batch, or absent; the totals still count every order exactly once.
    @Test(arguments: [true, false])
    func restartResumesExactlyAfterTheLastCommittedBatch(keepCheckpoint: Bool) async throws {
        let first = orders(700, seed: 11)
        let second = orders(500, seed: 12)
        let log = MemoryLog()
        try log.createTopic("ecommerce_sales", config: TopicConfig(partitions: 2))
        try log.append(first, to: "ecommerce_sales")
        let directory = try Self.temporaryDirectory()
        let path = directory + "/sales.sqlite"

        let before = try PipelineRunner(
            SalesPipeline().pipeline(to: try SalesPipeline.sink(for: .sqlite(path: path))).trigger(.once)
                .maxRecordsPerBatch(100),
            log: log, dataDirectory: directory, clock: ManualClock())
        try await before.run()
        if !keepCheckpoint {
            try FileManager.default.removeItem(atPath: directory + "/checkpoints")
        }
        try log.append(second, to: "ecommerce_sales")
        let after = try PipelineRunner(
            SalesPipeline().pipeline(to: try SalesPipeline.sink(for: .sqlite(path: path))).trigger(.once),
            log: log, dataDirectory: directory, clock: ManualClock())
        try await after.run()
        #expect(try Self.storedTotals(path) == (try Self.expectedTotals(first + second)))
    }
}
