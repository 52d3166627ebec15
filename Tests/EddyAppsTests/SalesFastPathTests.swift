import EddyApps
import EddyLog
import EddyStream
import Foundation
import Testing

/// The compiled sales path against the generic one (the reference): same totals, same dead letters with the
/// same reasons, over seeded random orders of which many break a rule or are not even JSON.
@Suite struct SalesFastPathTests {
    /// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func orders(_ count: Int, seed: UInt64) -> [ProducerRecord] {
        var random = Random(state: seed)
        let names = ["Livro Sapiens", "Mouse", "Teclado", "Café 1kg", "Monitor \\\"27\\\"", "Cadeira", ""]
        var records: [ProducerRecord] = []
        for i in 0..<count {
            let damage = random.below(40)  // < 16: one kind of damage; the rest valid
            var items: [String] = []
            var total: Int64 = 0
            for _ in 0..<(1 + random.below(4)) {
                let name = names[random.below(names.count - 1)]
                var quantity = "\(1 + random.below(5))"
                let whole = Int64(1 + random.below(500)), fraction = Int64(random.below(100))
                var price = String(format: "%d.%02d", whole, fraction)
                let cents = Int64(quantity)! * (whole * 100 + fraction)
                total += cents
                var nameField = #""product_name": "\#(name)""#
                switch damage {
                case 0: quantity = "0"
                case 1: quantity = "-\(quantity)"
                case 2: price = "0"
                case 3: price = "-\(price)"
                case 4: nameField = #""product_name": """#
                case 5: nameField = #""product_name": null"#
                case 6: quantity = "1.5"
                case 7: price = "\"abc\""
                case 8: price += "5"  // a third fraction digit: rounded to the centavo by the decoder
                default: break
                }
                items.append(#"{\#(nameField), "quantity": \#(quantity), "price": \#(price)}"#)
            }
            var products = "[" + items.joined(separator: ", ") + "]"
            var totalText = String(format: "%d.%02d", total / 100, total % 100)
            var date = "2024-08-23T15:22:16.968007Z"
            switch damage {
            case 9: products = "[]"
            case 10: products = "null"
            case 11: totalText = String(format: "%d.%02d", (total + 1) / 100, (total + 1) % 100)
            case 12: date = "yesterday"
            case 13: products = "[null, " + items.joined(separator: ", ") + "]"
            case 14:
                records.append(ProducerRecord(value: Array("{\"order_id\": \"\(i)\", \"products\": [".utf8)))
                continue
            case 15: totalText = "\"\(totalText)\""
            default: break
            }
            let text =
                #"{"order_id": "o-\#(i)", "client_document": "52998224725", "products": \#(products), "#
                + #""total_value": \#(totalText), "sale_datetime": "\#(date)"}"#
            records.append(ProducerRecord(value: Array(text.utf8)))
        }
        return records
    }

    /// The sales job as ``SalesPipeline`` builds it, but validated by the row check alone: the generic path.
    static func generic(to sink: some Sink) -> Pipeline {
        // Named like the job so the dead letters' `eddy.pipeline` header matches too.
        Pipeline(SalesPipeline().name)
            .source(topic: SalesPipeline.defaultTopic, schema: SalesOrder.schema)
            .validate(SalesValidation.version, SalesValidation.problem(in:))
            .explode("products", as: "product")
            .groupBy(keys: [NamedExpression("product_name", col("product.product_name"))])
            .aggregate(
                .sum(col("product.quantity") * col("product.price"), as: "total_sales"),
                .sum(col("product.quantity"), as: "units"),
                .count(as: "orders")
            )
            .output(SalesPipeline.table, mode: .update, to: sink)
    }

    static func sorted(_ rows: [Row]) -> [String] {
        rows.map { $0.map { "\($0)" }.joined(separator: " | ") }.sorted()
    }

    /// Every dead letter (value and headers but the time) as text, sorted: the workers' interleaving is not fixed.
    static func deadLetters(_ log: MemoryLog) throws -> [String] {
        let read = try log.read(
            TopicPartition(SalesPipeline.defaultTopic + ".dlq", 0), from: 0, maxBytes: 1 << 26)
        return read.records().map { record in
            // The source timestamp differs: the two logs were written at different times.
            let headers = record.headers.filter { $0.key != DeadLetterHeaders.sourceTimestamp }.map {
                "\($0.key)=\(String(decoding: $0.value ?? [], as: UTF8.self))"
            }
            return String(decoding: record.value, as: UTF8.self) + " "
                + headers.sorted().joined(separator: ",")
        }.sorted()
    }

    @Test(arguments: [(1, 1, UInt64(1)), (3, 1, 2), (3, 2, 3), (2, 2, 4)])
    func compiledPathMatchesTheGenericPath(partitions: Int, workers: Int, seed: UInt64) async throws {
        let records = Self.orders(3000, seed: seed)

        let fastLog = MemoryLog()
        try fastLog.createTopic(SalesPipeline.defaultTopic, config: TopicConfig(partitions: partitions))
        try fastLog.append(records, to: SalesPipeline.defaultTopic)
        let fastTable = LiveTable("fast")
        let fast = SalesPipeline(workers: workers).pipeline(to: fastTable).maxRecordsPerBatch(700)
        #expect(try fast.build().usesFastPath)
        let r1 = try PipelineRunner(
            fast.trigger(.once), log: fastLog, dataDirectory: nil, clock: ManualClock())
        try await r1.run()

        let genericLog = MemoryLog()
        try genericLog.createTopic(SalesPipeline.defaultTopic, config: TopicConfig(partitions: partitions))
        try genericLog.append(records, to: SalesPipeline.defaultTopic)
        let genericTable = LiveTable("generic")
        let generic = Self.generic(to: genericTable)
        #expect(try !generic.build().usesFastPath)
        let r2 = try PipelineRunner(
            generic.trigger(.once), log: genericLog, dataDirectory: nil, clock: ManualClock())
        try await r2.run()

        #expect(genericTable.rowCount >= 6)
        #expect(Self.sorted(fastTable.rows) == Self.sorted(genericTable.rows))
        #expect(r1.status.recordsIn == 3000 && r2.status.recordsIn == 3000)
        #expect(r2.status.deadLetters > 600)
        #expect(r1.status.deadLetters == r2.status.deadLetters)
        let dead = try Self.deadLetters(fastLog)
        #expect(dead.count == Int(r2.status.deadLetters))
        #expect(dead == (try Self.deadLetters(genericLog)))
    }

    @Test func passesAgreesWithProblemOnEveryOrder() throws {
        let scanner = JSONScanner(schema: SalesOrder.schema)
        var record = scanner.makeRecord()
        let columns = ColumnIndex(SalesOrder.schema.fields)
        var valid = 0
        for order in Self.orders(2000, seed: 7) {
            let failed = order.value.withUnsafeBytes { scanner.scan($0, into: &record) } != nil
            if failed { continue }
            let problem = SalesValidation.problem(in: RowAccess(columns: columns, values: record.row()))
            #expect(SalesValidation.passes(record) == (problem == nil), "\(problem ?? "valid")")
            if problem == nil { valid += 1 }
        }
        #expect(valid > 1000)
    }
}
