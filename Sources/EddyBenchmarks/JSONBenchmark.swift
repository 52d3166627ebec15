import EddyStream
import Foundation

/// How fast motion readings (seed 002) decode, three ways, on one core:
/// Foundation's `JSONDecoder` into a `Decodable` struct (the baseline), ``JSONRowDecoder`` (rows of
/// ``Value``s), and ``JSONScanner`` with the retail query's schema — just `location`, `duration` and
/// `traffic_count` — summing per location without allocating, as the aggregation's hot path does. A
/// fourth run scans all seven fields, for pipelines that need them.
///
/// The input is `records` generated lines (~200 bytes, Python `json.dumps` spacing, every 50th with a
/// null duration), concatenated in one buffer like a fetched batch. Each result is checked against the
/// generator's own totals, so a fast but wrong decoder fails instead of looking good.
///
/// ```swift
/// print(JSONBenchmark.run(records: 2_000_000))
/// ```
public enum JSONBenchmark {
    public static func run(records: Int = 2_000_000) -> String {
        let input = MotionLines(count: max(1, records))
        let megabytes = Double(input.bytes.count) / 1_000_000
        var lines: [String] = [
            "JSON decoding, seed 002 motion readings: \(input.count) records, "
                + "\(String(format: "%.1f", megabytes)) MB, \(input.bytes.count / input.count) bytes/record, one core, CPU time of the decoding thread"
        ]
        func report(_ name: String, records: Int, bytes: Int, seconds: Double, check: String) {
            let rate = Double(records) / seconds
            lines.append(
                name.padding(toLength: 44, withPad: " ", startingAt: 0)
                    + String(format: "%12.0f records/s %9.1f MB/s", rate, Double(bytes) / seconds / 1_000_000)
                    + "  " + check)
        }

        // Baseline: Foundation, on a slice (it is slow).
        let baselineCount = min(input.count, 200_000)
        let (foundationSeconds, foundationTraffic) = measure {
            foundationDecode(input, count: baselineCount)
        }
        report(
            "Foundation JSONDecoder (Decodable struct)", records: baselineCount,
            bytes: input.offsets[baselineCount], seconds: foundationSeconds,
            check: foundationTraffic == input.expectedTraffic(upTo: baselineCount) ? "ok" : "WRONG TOTALS")

        let rowCount = min(input.count, 1_000_000)
        let (rowSeconds, rowTraffic) = measure { rowDecode(input, count: rowCount) }
        report(
            "JSONRowDecoder (7 fields → Row)", records: rowCount, bytes: input.offsets[rowCount],
            seconds: rowSeconds,
            check: rowTraffic == input.expectedTraffic(upTo: rowCount) ? "ok" : "WRONG TOTALS")

        // Warm once (the record's buffers grow to size), then measure the best of three.
        var best = Double.infinity
        var totals = LocationTotals()
        for _ in 0..<3 {
            let (seconds, result) = measure { scanQueryFields(input) }
            best = min(best, seconds)
            totals = result
        }
        let scanOK =
            totals.trafficByLocation == input.expectedTrafficByLocation
            && totals.durationHundredths == input.expectedDuration
        report(
            "JSONScanner (location, duration, traffic)", records: input.count, bytes: input.bytes.count,
            seconds: best, check: scanOK ? "ok" : "WRONG TOTALS")

        var bestAll = Double.infinity
        var allTraffic = 0
        for _ in 0..<2 {
            let (seconds, traffic) = measure { scanAllFields(input) }
            bestAll = min(bestAll, seconds)
            allTraffic = traffic
        }
        report(
            "JSONScanner (all 7 fields)", records: input.count, bytes: input.bytes.count, seconds: bestAll,
            check: allTraffic == input.expectedTraffic(upTo: input.count) ? "ok" : "WRONG TOTALS")
        lines.append(
            String(
                format: "speed-up of the query scan over Foundation: %.1f×",
                foundationSeconds / Double(baselineCount) / (best / Double(input.count))))
        return lines.joined(separator: "\n")
    }

    /// Runs `body` and returns the CPU time this thread spent in it (so that other processes sharing the
    /// cores do not count against the decoder) and its result.
    private static func measure<R>(_ body: () -> R) -> (Double, R) {
        let start = threadCPUSeconds()
        let result = body()
        return (threadCPUSeconds() - start, result)
    }

    private static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    // MARK: The three decoders

    struct MotionReading: Decodable {
        var timestamp: String  // the notebook's schema reads it as StringType
        var idSensor: String
        var location: String?
        var customerId: String
        var movementDetected: Bool
        var duration: Double?
        var trafficCount: Int
    }

    private static func foundationDecode(_ input: MotionLines, count: Int) -> Int {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var traffic = 0
        for i in 0..<count {
            let data = Data(input.bytes[input.offsets[i]..<input.offsets[i + 1]])
            guard let reading = try? decoder.decode(MotionReading.self, from: data) else { continue }
            traffic += reading.trafficCount
        }
        return traffic
    }

    private static func rowDecode(_ input: MotionLines, count: Int) -> Int {
        let decoder = JSONRowDecoder(schema: MotionLines.fullSchema)
        var traffic = 0
        input.bytes.withUnsafeBytes { all in
            for i in 0..<count {
                let line = UnsafeRawBufferPointer(rebasing: all[input.offsets[i]..<input.offsets[i + 1]])
                if case .success(let row) = decoder.decode(line), case .int(let n) = row[6] {
                    traffic += Int(n)
                }
            }
        }
        return traffic
    }

    /// The retail query's hot path: filter null duration/location, sum per location — no allocation.
    /// The retail query's scan alone, `repetitions` times over `records` lines (for profiling); returns
    /// records per CPU-second.
    public static func queryScanRate(records: Int, repetitions: Int) -> Double {
        let input = MotionLines(count: max(1, records))
        var total = 0.0
        for _ in 0..<repetitions { total += measure { scanQueryFields(input) }.0 }
        return Double(input.count * repetitions) / total
    }

    private static func scanQueryFields(_ input: MotionLines) -> LocationTotals {
        let schema: Schema = [
            Column("location", .string), Column("duration", .double), Column("traffic_count", .int),
        ]
        let scanner = JSONScanner(schema: schema)
        var record = scanner.makeRecord()
        var totals = LocationTotals()
        input.bytes.withUnsafeBytes { all in
            let base = all.baseAddress!
            input.offsets.withUnsafeBufferPointer { offsets in
                for i in 0..<(offsets.count - 1) {
                    let line = UnsafeRawBufferPointer(
                        start: base + offsets[i], count: offsets[i + 1] - offsets[i])
                    if scanner.scan(line, into: &record) != nil { continue }
                    guard let duration = record.double(1) else { continue }
                    let traffic = record.int(2) ?? 0
                    record.withStringBytes(0) { location in
                        totals.add(location: location, duration: duration, traffic: traffic)
                    }
                }
            }
        }
        return totals
    }

    private static func scanAllFields(_ input: MotionLines) -> Int {
        let scanner = JSONScanner(schema: MotionLines.fullSchema)
        var record = scanner.makeRecord()
        var traffic: Int64 = 0
        var checksum: Int64 = 0
        input.bytes.withUnsafeBytes { all in
            let base = all.baseAddress!
            input.offsets.withUnsafeBufferPointer { offsets in
                for i in 0..<(offsets.count - 1) {
                    let line = UnsafeRawBufferPointer(
                        start: base + offsets[i], count: offsets[i + 1] - offsets[i])
                    if scanner.scan(line, into: &record) != nil { continue }
                    traffic += record.int(6) ?? 0
                    checksum &+=
                        (record.timestamp(0) ?? 0) &+ Int64(record.withStringBytes(1) { $0.count } ?? 0)
                }
            }
        }
        return checksum == 0 ? -1 : Int(traffic)
    }
}

/// Per-location sums keyed by the location's bytes; a linear table (six areas) that allocates only when a
/// new location appears.
struct LocationTotals {
    var names: [[UInt8]] = []
    var traffic: [Int64] = []
    var durations: [Double] = []

    mutating func add(location: UnsafeRawBufferPointer, duration: Double, traffic count: Int64) {
        for i in names.indices where names[i].count == location.count {
            if names[i].withUnsafeBytes({
                memcmp($0.baseAddress!, location.baseAddress!, location.count) == 0
            }) {
                traffic[i] += count
                durations[i] += duration
                return
            }
        }
        names.append(Array(location))
        traffic.append(count)
        durations.append(duration)
    }

    var trafficByLocation: [String: Int64] {
        Dictionary(uniqueKeysWithValues: zip(names.map { String(decoding: $0, as: UTF8.self) }, traffic))
    }

    /// Per location, the duration sum rounded to hundredths (the sums of 2-decimal doubles are near them).
    var durationHundredths: [String: Int64] {
        Dictionary(
            uniqueKeysWithValues: zip(
                names.map { String(decoding: $0, as: UTF8.self) },
                durations.map { Int64(($0 * 100).rounded()) }))
    }
}

/// Generated seed-002 lines in one buffer, with the totals the decoders must reproduce.
struct MotionLines {
    static let locations = [
        "Entrada", "Corredor_A", "Corredor_B", "Caixa", "Sessao_de_Roupas", "Sessao_de_Eletronicos",
    ]
    static let fullSchema: Schema = [
        Column("timestamp", .timestamp), Column("id_sensor", .string), Column("location", .string),
        Column("customer_id", .string), Column("movement_detected", .bool), Column("duration", .double),
        Column("traffic_count", .int),
    ]

    var bytes: [UInt8] = []
    var offsets: [Int] = [0]
    var trafficPrefix: [Int] = [0]
    var expectedTrafficByLocation: [String: Int64] = [:]
    var expectedDuration: [String: Int64] = [:]
    var count: Int { offsets.count - 1 }

    init(count: Int) {
        var state: UInt64 = 0x2024_0823
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        bytes.reserveCapacity(count * 210)
        var micros: Int64 = 1_724_426_536_968_007
        for i in 0..<count {
            let location = Self.locations[next(Self.locations.count)]
            let hundredths = 100 + next(29_900)
            let traffic = 1 + next(10)
            let nullDuration = i % 50 == 49
            micros += Int64(next(2_000_000))
            var line = #"{"timestamp": ""# + Self.iso(micros) + #"", "id_sensor": "SM-"#
            line += String(100 + next(900)) + String(Character(Unicode.Scalar(UInt8(65 + next(26)))))
            line += String(Character(Unicode.Scalar(UInt8(65 + next(26))))) + #"", "location": ""# + location
            line +=
                #"", "customer_id": "Cliente_"# + String(1000 + next(9000))
                + #"", "movement_detected": true, "#
            line += #""duration": "# + (nullDuration ? "null" : Self.hundredthsText(hundredths))
            line += #", "traffic_count": "# + String(traffic) + "}"
            bytes.append(contentsOf: line.utf8)
            offsets.append(bytes.count)
            trafficPrefix.append(trafficPrefix[i] + traffic)
            if !nullDuration {
                expectedTrafficByLocation[location, default: 0] += Int64(traffic)
                expectedDuration[location, default: 0] += Int64(hundredths)
            }
        }
    }

    func expectedTraffic(upTo n: Int) -> Int { trafficPrefix[n] }

    static func hundredthsText(_ value: Int) -> String {
        let cents = value % 100
        return "\(value / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
    }

    static func iso(_ micros: Int64) -> String {
        let seconds = micros / 1_000_000
        let fraction = Int(micros % 1_000_000)
        var days = Int(seconds / 86_400)
        let secondOfDay = Int(seconds % 86_400)
        // Civil date from days since the epoch (inverse of the March-based day count).
        days += 719_468
        let era = days / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * marchMonth + 2) / 5 + 1
        let month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var micro = String(fraction)
        micro = String(repeating: "0", count: 6 - micro.count) + micro
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):"
            + "\(two(secondOfDay % 60)).\(micro)Z"
    }
}
