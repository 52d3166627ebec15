import EddyApps
import EddyLog
import EddyStream
import Foundation
import Testing

@Suite struct RetailPipelineTests {
    struct Reading {
        var micros: Int64
        var location: String?
        var customer: String
        var hundredths: Int64?
        var traffic: Int64
    }

    /// Parses the simulator's lines with Foundation, independently of the engine's scanner.
    private func readings(_ records: [ProducerRecord]) throws -> [Reading] {
        try records.map { record in
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any])
            let duration = object["duration"] as? Double
            return Reading(
                micros: Timestamp.parseISO8601(object["timestamp"] as! String)!,
                location: object["location"] as? String, customer: object["customer_id"] as! String,
                hundredths: duration.map { Int64(($0 * 100).rounded()) },
                traffic: Int64(object["traffic_count"] as! Int))
        }
    }

    @Test func allFourTablesMatchAnIndependentComputation() async throws {
        var simulator = MotionSimulator(seed: 7, nullRate: 0.05)
        let records = (0..<3000).map { _ in simulator.next() }
        let log = MemoryLog()
        try log.createTopic("motion", config: TopicConfig(partitions: 3))
        try log.append(records, to: "motion")

        let retail = RetailPipeline(topN: 3)
        let runner = try PipelineRunner(
            retail.pipeline(display: nil, to: nil).trigger(.once), log: log, dataDirectory: nil,
            clock: ManualClock())
        try await runner.run()

        let valid = try readings(records).filter { $0.location != nil && $0.hundredths != nil }
        #expect(valid.count < 3000 && valid.count > 2500)
        // areas
        var byArea: [String: (hundredths: Int64, traffic: Int64, n: Int64)] = [:]
        for r in valid {
            var entry = byArea[r.location!] ?? (0, 0, 0)
            entry.hundredths += r.hundredths!
            entry.traffic += r.traffic
            entry.n += 1
            byArea[r.location!] = entry
        }
        #expect(retail.areas.rowCount == byArea.count)
        for (area, expected) in byArea {
            let row = try #require(retail.areas.lookup(key: [area]).first)
            #expect(
                retail.areas.columns.map(\.name) == [
                    "location", "total_duration", "total_traffic", "avg_duration",
                ])
            #expect(abs(row[1].doubleValue! - Double(expected.hundredths) / 100) < 1e-6)
            #expect(row[2] == .int(expected.traffic))
            #expect(abs(row[3].doubleValue! - Double(expected.hundredths) / 100 / Double(expected.n)) < 1e-9)
        }
        // top: the three areas with the most traffic, busiest first
        let expectedTop = byArea.sorted { $0.value.traffic > $1.value.traffic }.prefix(3).map(\.key)
        #expect(retail.top.rows.map { $0[0].stringValue! } == expectedTop)
        // customers: dwell time per (customer, area)
        var dwell: [[String]: Int64] = [:]
        for r in valid { dwell[[r.customer, r.location!], default: 0] += r.hundredths! }
        #expect(retail.customers.rowCount == dwell.count)
        for (key, hundredths) in dwell.prefix(200) {
            let row = try #require(retail.customers.lookup(key: key).first)
            #expect(abs(row[2].doubleValue! - Double(hundredths) / 100) < 1e-6)
        }
        // windows: traffic per area per minute (the live table holds the windows the watermark has not evicted
        // plus every update sent; compare the windows it reports)
        var perWindow: [[String]: Int64] = [:]
        for r in valid {
            let start = r.micros / 60_000_000 * 60_000_000
            perWindow[
                [Timestamp.format(start), Timestamp.format(start + 60_000_000), r.location!], default: 0] +=
                r.traffic
        }
        #expect(retail.windows.rowCount > 0)
        for row in retail.windows.rows {
            let key = [row[0].renderedForDisplay, row[1].renderedForDisplay, row[2].stringValue!]
            #expect(row[3] == .int(perWindow[key] ?? -1))
        }
        #expect(runner.status.recordsIn == 3000)
        #expect(runner.status.lateRows == 0)
    }

    @Test func theSeedQueryAloneMatchesToo() async throws {
        var simulator = MotionSimulator(seed: 11, nullRate: 0.1)
        let records = (0..<2000).map { _ in simulator.next() }
        let log = MemoryLog()
        try log.createTopic("motion", config: TopicConfig(partitions: 2))
        try log.append(records, to: "motion")
        let table = LiveTable("areas")
        let runner = try PipelineRunner(
            RetailPipeline().areasPipeline(to: table).trigger(.once), log: log, dataDirectory: nil,
            clock: ManualClock())
        try await runner.run()
        let valid = try readings(records).filter { $0.location != nil && $0.hundredths != nil }
        let traffic = Dictionary(grouping: valid, by: { $0.location! }).mapValues {
            $0.reduce(0) { $0 + $1.traffic }
        }
        for (area, total) in traffic {
            #expect(table.lookup(key: [area]).first?[2] == .int(total))
        }
    }
}
