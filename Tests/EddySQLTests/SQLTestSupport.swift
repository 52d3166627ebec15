import EddyLog
import EddySQL
import EddyStream
import Foundation

/// Seeded data and runs shared by the SQL tests.
enum SQLTestSupport {
    /// SplitMix64: deterministic, so a failing seed replays.
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
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    static let locations = ["Entrada", "Corredor_A", "Corredor_B", "Caixa", "Sessao_de_Roupas"]

    /// Motion readings in seed 002's shape, some fields null, event times a little out of order (some
    /// late by more than the retail watermark).
    static func motion(_ count: Int, seed: UInt64) -> [String] {
        var random = Random(state: seed)
        let base: Int64 = 1_724_426_520_000_000
        return (0..<count).map { i in
            var micros = base + Int64(i) * 1_500_000 + Int64(random.below(20_000_000))
            if random.chance(3) { micros -= 7 * 60_000_000 }
            let location = random.chance(8) ? "null" : "\"\(random.pick(locations))\""
            let duration =
                random.chance(8) ? "null" : String(format: "%.2f", Double(100 + random.below(29_900)) / 100)
            return """
                {"timestamp": "\(Timestamp.formatISO8601(micros))", "id_sensor": "SM-\(100 + random.below(8))AB", \
                "location": \(location), "customer_id": "Cliente_\(1000 + random.below(25))", \
                "movement_detected": \(random.chance(50)), "duration": \(duration), \
                "traffic_count": \(1 + random.below(10))}
                """
        }
    }

    /// Valid sales orders in seed 003's shape (total_value is Σ quantity × price).
    static func orders(_ count: Int, seed: UInt64) -> [String] {
        var random = Random(state: seed)
        let names = ["Livro Sapiens", "Mouse", "Teclado", "Café 1kg", "Monitor", "Cadeira"]
        return (0..<count).map { i in
            var items: [String] = []
            var total: Int64 = 0
            for _ in 0..<(1 + random.below(4)) {
                let quantity = Int64(1 + random.below(5))
                let cents = Int64(100 + random.below(50_000))
                total += quantity * cents
                items.append(
                    #"{"product_name": "\#(random.pick(names))", "quantity": \#(quantity), "price": \#(cents / 100).\#(String(format: "%02d", cents % 100))}"#
                )
            }
            return """
                {"order_id": "o-\(i)", "client_document": "\(100 + random.below(900))", \
                "products": [\(items.joined(separator: ", "))], \
                "total_value": \(total / 100).\(String(format: "%02d", total % 100)), \
                "sale_datetime": "2024-08-23T15:22:16.968007Z"}
                """
        }
    }

    /// A log holding `records` in `topic` (spread over `partitions` by key).
    static func log(topic: String, records: [String], partitions: Int = 1) throws -> MemoryLog {
        let log = MemoryLog()
        _ = try log.createTopic(topic, config: TopicConfig(partitions: partitions))
        _ = try log.append(
            records.enumerated().map {
                ProducerRecord(key: Array("k\($0.offset % 7)".utf8), value: Array($0.element.utf8))
            },
            to: topic)
        return log
    }

    /// Runs `pipeline` once over `log` (everything there, then stop).
    static func runOnce(_ pipeline: Pipeline, log: MemoryLog) async throws {
        let runner = try PipelineRunner(
            pipeline.trigger(.once), log: log, dataDirectory: nil, clock: ManualClock())
        try await runner.run()
    }

    /// A table's rows as sorted text, so two runs compare regardless of row order.
    static func sorted(_ rows: [Row]) -> [String] {
        rows.map { $0.map { "\($0)" }.joined(separator: " | ") }.sorted()
    }

    /// The package's root folder (for examples/sql).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
}
