import EddyApps
import EddyLog
import Foundation
import Testing

@Suite struct MotionSimulatorTests {
    static let fields: Set<String> = [
        "timestamp", "id_sensor", "location", "customer_id", "movement_detected", "duration", "traffic_count",
    ]

    func lines(seed: UInt64?, count: Int, nullRate: Double = 0) -> [[UInt8]] {
        var simulator = MotionSimulator(seed: seed, nullRate: nullRate)
        return (0..<count).map { _ in simulator.next().value }
    }

    func object(_ bytes: [UInt8]) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(bytes))
        return try #require(parsed as? [String: Any])
    }

    @Test func sameSeedGivesSameBytes() {
        #expect(lines(seed: 42, count: 500) == lines(seed: 42, count: 500))
        #expect(lines(seed: 42, count: 50) != lines(seed: 43, count: 50))
    }

    @Test func firstSeededReadingStartsAtTheSeedExample() throws {
        let first = try object(lines(seed: 1, count: 1)[0])
        let timestamp = try #require(first["timestamp"] as? String)
        #expect(timestamp == "2024-08-23T15:22:16.968007Z")
    }

    @Test func readingsFollowTheSeedSchema() throws {
        let sensorPattern = /SM-[0-9]{3}[A-Z]{2}/
        let customerPattern = /Cliente_[0-9]{4}/
        let timestampPattern = /[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z/
        let durationPattern = /"duration": [0-9]{1,3}\.[0-9]{2},/
        var previousTimestamp = ""
        var sensorLocations: [String: String] = [:]
        for line in lines(seed: 7, count: 2000) {
            #expect(!line.contains(0x0A))
            let text = String(decoding: line, as: UTF8.self)
            #expect(text.contains(durationPattern))
            let reading = try object(line)
            #expect(Set(reading.keys) == Self.fields)
            let timestamp = try #require(reading["timestamp"] as? String)
            #expect(timestamp.wholeMatch(of: timestampPattern) != nil)
            #expect(timestamp > previousTimestamp)
            previousTimestamp = timestamp
            let sensor = try #require(reading["id_sensor"] as? String)
            #expect(sensor.wholeMatch(of: sensorPattern) != nil)
            let location = try #require(reading["location"] as? String)
            #expect(MotionSimulator.locations.contains(location))
            #expect(sensorLocations.updateValue(location, forKey: sensor) ?? location == location)
            let customer = try #require(reading["customer_id"] as? String)
            #expect(customer.wholeMatch(of: customerPattern) != nil)
            #expect(reading["movement_detected"] as? Bool == true)
            let duration = try #require(reading["duration"] as? Double)
            #expect((1.0...300.0).contains(duration))
            let traffic = try #require(reading["traffic_count"] as? Int)
            #expect((1...10).contains(traffic))
        }
        #expect(Set(sensorLocations.values) == Set(MotionSimulator.locations))
    }

    @Test func timestampsMatchFoundationsParser() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        // From 2000-02-29 (a leap day of a century year), about 30 days apart: 300 readings span ~25 years.
        var simulator = MotionSimulator(
            seed: 3, clock: .simulated(startMicros: 951_782_400_000_000, meanStepMicros: 2_592_000_000_000))
        for _ in 0..<300 {
            let reading = try object(simulator.next().value)
            let text = try #require(reading["timestamp"] as? String)
            let date = try #require(formatter.date(from: text), "\(text)")
            // Foundation keeps milliseconds; the re-formatted prefix must agree to the millisecond.
            #expect(formatter.string(from: date).prefix(23) == text.prefix(23))
        }
    }

    @Test func nullRateProducesNullsOnlyWhenAsked() throws {
        for line in lines(seed: 9, count: 300) {
            #expect(!String(decoding: line, as: UTF8.self).contains("null"))
        }
        var nullDurations = 0
        var nullLocations = 0
        for line in lines(seed: 9, count: 1000, nullRate: 0.3) {
            let reading = try object(line)
            if reading["duration"] is NSNull { nullDurations += 1 }
            if reading["location"] is NSNull { nullLocations += 1 }
        }
        #expect((200...400).contains(nullDurations))
        #expect((200...400).contains(nullLocations))
    }

    @Test func recordsAreKeyedBySensor() throws {
        var simulator = MotionSimulator(seed: 5)
        for _ in 0..<50 {
            let record = simulator.next()
            let reading = try object(record.value)
            #expect(record.key.map { String(decoding: $0, as: UTF8.self) } == reading["id_sensor"] as? String)
        }
    }

    @Test func runEmitsExactlyCountInBoundedBatches() async throws {
        var simulator = MotionSimulator(seed: 11)
        var batches: [Int] = []
        let emitted = try await simulator.run(count: 2500, rate: nil, batchSize: 1000) {
            batches.append($0.count)
        }
        #expect(emitted == 2500)
        #expect(batches == [1000, 1000, 500])
    }

    @Test func unseededRunsDiffer() {
        #expect(lines(seed: nil, count: 20) != lines(seed: nil, count: 20))
    }
}
