import EddyLog

// Checkpoints are written often and can hold hundreds of thousands of groups, so they use a compact binary
// layout instead of JSON: a magic header, then fields in a fixed order; integers as little-endian 8 bytes,
// strings and lists length-prefixed, values and accumulators tagged. The file ends with its own length, so a
// truncated file is recognised (the atomic rename should make that impossible, but a damaged disk is not).

struct CheckpointWriter {
    var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(1 << 16)
        bytes.append(contentsOf: Checkpoint.magic)
    }

    mutating func int(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int(_ v: Int) { int(Int64(v)) }
    mutating func byte(_ v: UInt8) { bytes.append(v) }
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }
    mutating func optional(_ v: Int64?) {
        if let v {
            byte(1)
            int(v)
        } else {
            byte(0)
        }
    }

    mutating func value(_ v: Value) {
        switch v {
        case .null: byte(0)
        case .bool(let b): byte(b ? 2 : 1)
        case .int(let i):
            byte(3)
            int(i)
        case .double(let d):
            byte(4)
            int(Int64(bitPattern: d.bitPattern))
        case .decimal(let d):
            byte(5)
            int(d.units)
            int(d.scale)
        case .string(let s):
            byte(6)
            string(s)
        case .timestamp(let t):
            byte(7)
            int(t)
        case .array(let a):
            byte(8)
            int(a.count)
            for e in a { value(e) }
        case .object(let o):
            byte(9)
            int(o.count)
            for (k, e) in o.sorted(by: { $0.key < $1.key }) {
                string(k)
                value(e)
            }
        }
    }

    mutating func accumulator(_ a: Accumulator) {
        switch a {
        case .count(let n):
            byte(0)
            int(n)
        case .sum(.overflowed):
            byte(6)
        case .sum(let s):
            byte(1)
            switch s {
            case .overflowed: break
            case .empty: value(.null)
            case .int(let i): value(.int(i))
            case .double(let d): value(.double(d))
            case .decimal(let d): value(.decimal(d))
            }
        case .avg(let sum, let count):
            byte(2)
            int(Int64(bitPattern: sum.bitPattern))
            int(count)
        case .min(let v):
            byte(3)
            value(v)
        case .max(let v):
            byte(4)
            value(v)
        case .distinct(let set):
            byte(5)
            int(set.count)
            for v in set { value(v) }
        }
    }
}

struct CheckpointReader {
    let bytes: [UInt8]
    var position = 0

    struct Malformed: Error {
        var detail: String
    }

    init(_ bytes: [UInt8]) throws(Malformed) {
        self.bytes = bytes
        guard bytes.count >= Checkpoint.magic.count + 8,
            Array(bytes.prefix(Checkpoint.magic.count)) == Checkpoint.magic
        else { throw Malformed(detail: "not an eddy checkpoint (bad header)") }
        let declared = bytes.withUnsafeBytes {
            Int64(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: Int64.self))
        }
        guard declared == Int64(bytes.count - 8) else {
            throw Malformed(detail: "truncated (length does not match)")
        }
        position = Checkpoint.magic.count
    }

    mutating func int() throws(Malformed) -> Int64 {
        guard position + 8 <= bytes.count - 8 else {
            throw Malformed(detail: "truncated at byte \(position)")
        }
        let v = bytes.withUnsafeBytes {
            Int64(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: Int64.self))
        }
        position += 8
        return v
    }

    mutating func count() throws(Malformed) -> Int {
        let n = try int()
        guard n >= 0, n <= Int64(bytes.count) else {
            throw Malformed(detail: "bad length \(n) at byte \(position)")
        }
        return Int(n)
    }

    mutating func byte() throws(Malformed) -> UInt8 {
        guard position < bytes.count - 8 else { throw Malformed(detail: "truncated at byte \(position)") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func string() throws(Malformed) -> String {
        let n = try count()
        guard position + n <= bytes.count - 8 else {
            throw Malformed(detail: "truncated string at byte \(position)")
        }
        defer { position += n }
        return String(decoding: bytes[position..<(position + n)], as: UTF8.self)
    }

    mutating func optional() throws(Malformed) -> Int64? {
        try byte() == 0 ? nil : try int()
    }

    mutating func value() throws(Malformed) -> Value {
        switch try byte() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try int())
        case 4: return .double(Double(bitPattern: UInt64(bitPattern: try int())))
        case 5:
            let units = try int()
            return .decimal(DecimalValue(units: units, scale: Int(try int())))
        case 6: return .string(try string())
        case 7: return .timestamp(try int())
        case 8:
            let n = try count()
            var a: [Value] = []
            a.reserveCapacity(n)
            for _ in 0..<n { a.append(try value()) }
            return .array(a)
        case 9:
            let n = try count()
            var o: [String: Value] = [:]
            for _ in 0..<n {
                let k = try string()
                o[k] = try value()
            }
            return .object(o)
        case let tag: throw Malformed(detail: "unknown value tag \(tag) at byte \(position - 1)")
        }
    }

    mutating func accumulator() throws(Malformed) -> Accumulator {
        switch try byte() {
        case 0: return .count(try int())
        case 1:
            switch try value() {
            case .null: return .sum(.empty)
            case .int(let i): return .sum(.int(i))
            case .double(let d): return .sum(.double(d))
            case .decimal(let d): return .sum(.decimal(d))
            default: throw Malformed(detail: "bad sum at byte \(position)")
            }
        case 2:
            let sum = Double(bitPattern: UInt64(bitPattern: try int()))
            return .avg(sum: sum, count: try int())
        case 3: return .min(try value())
        case 4: return .max(try value())
        case 5:
            let n = try count()
            var set = Set<Value>(minimumCapacity: n)
            for _ in 0..<n { set.insert(try value()) }
            return .distinct(set)
        case 6: return .sum(.overflowed)
        case let tag: throw Malformed(detail: "unknown accumulator tag \(tag) at byte \(position - 1)")
        }
    }
}

extension Checkpoint {
    static let magic: [UInt8] = Array("EDDYCKP1".utf8)

    func encoded() -> [UInt8] {
        var w = CheckpointWriter()
        w.int(version)
        if version >= 3 {
            w.int(generation)
            w.int(sequence)
        }
        w.string(pipeline)
        w.string(fingerprint)
        w.string(topic)
        w.int(offsets.count)
        for (p, o) in offsets.sorted(by: { $0.key < $1.key }) {
            w.int(p)
            w.int(o)
        }
        w.int(recordsIn)
        w.int(deadLetters)
        w.int(writtenAtMillis)
        w.int(outputs.count)
        for output in outputs {
            w.string(output.table)
            w.int(output.nextBatchId)
            w.int(output.rowsOut)
            w.int(output.lateRows)
            guard let snapshot = output.aggregation else {
                w.byte(0)
                continue
            }
            w.byte(1)
            w.int(snapshot.groups.count)
            for group in snapshot.groups {
                w.int(group.key.count)
                for v in group.key { w.value(v) }
                w.int(group.accumulators.count)
                for a in group.accumulators { w.accumulator(a) }
            }
            w.int(snapshot.sessions.count)
            for entry in snapshot.sessions {
                w.int(entry.key.count)
                for v in entry.key { w.value(v) }
                w.int(entry.sessions.count)
                for session in entry.sessions {
                    w.int(session.start)
                    w.int(session.end)
                    w.int(session.accumulators.count)
                    for a in session.accumulators { w.accumulator(a) }
                }
            }
            w.optional(snapshot.watermark.maxEventTime)
            w.optional(snapshot.watermark.current)
            if version >= 3 {
                for removed in [snapshot.removedGroups, snapshot.removedSessions] {
                    w.int(removed.count)
                    for key in removed {
                        w.int(key.count)
                        for v in key { w.value(v) }
                    }
                }
            }
        }
        if version >= 2 {
            w.optional(deadLetterEnd)
            w.optional(lateRowsEnd)
        }
        w.int(w.bytes.count)
        return w.bytes
    }

    init(decoding bytes: [UInt8]) throws(CheckpointReader.Malformed) {
        var r = try CheckpointReader(bytes)
        let version = Int(try r.int())
        guard (1...3).contains(version) else {
            throw .init(detail: "unsupported checkpoint version \(version)")
        }
        var generation: Int64 = 0
        var sequence: Int64 = 0
        if version >= 3 {
            generation = try r.int()
            sequence = try r.int()
        }
        let pipeline = try r.string()
        let fingerprint = try r.string()
        let topic = try r.string()
        var offsets: [Int: Offset] = [:]
        for _ in 0..<(try r.count()) {
            let p = Int(try r.int())
            offsets[p] = try r.int()
        }
        let recordsIn = try r.int()
        let deadLetters = try r.int()
        let writtenAt = try r.int()
        var outputs: [OutputCheckpoint] = []
        for _ in 0..<(try r.count()) {
            let table = try r.string()
            let nextBatchId = try r.int()
            let rowsOut = try r.int()
            let lateRows = try r.int()
            var snapshot: AggregationOperator.Snapshot?
            if try r.byte() == 1 {
                var groups: [AggregationOperator.GroupEntry] = []
                let groupCount = try r.count()
                groups.reserveCapacity(groupCount)
                for _ in 0..<groupCount {
                    var key: [Value] = []
                    for _ in 0..<(try r.count()) { key.append(try r.value()) }
                    var accumulators: [Accumulator] = []
                    for _ in 0..<(try r.count()) { accumulators.append(try r.accumulator()) }
                    groups.append(.init(key: key, accumulators: accumulators))
                }
                var sessions: [AggregationOperator.SessionEntry] = []
                for _ in 0..<(try r.count()) {
                    var key: [Value] = []
                    for _ in 0..<(try r.count()) { key.append(try r.value()) }
                    var list: [Session] = []
                    for _ in 0..<(try r.count()) {
                        let start = try r.int()
                        let end = try r.int()
                        var accumulators: [Accumulator] = []
                        for _ in 0..<(try r.count()) { accumulators.append(try r.accumulator()) }
                        list.append(Session(start: start, end: end, accumulators: accumulators))
                    }
                    sessions.append(.init(key: key, sessions: list))
                }
                let maxEventTime = try r.optional()
                let current = try r.optional()
                var removed: [[[Value]]] = [[], []]
                if version >= 3 {
                    for i in removed.indices {
                        for _ in 0..<(try r.count()) {
                            var key: [Value] = []
                            for _ in 0..<(try r.count()) { key.append(try r.value()) }
                            removed[i].append(key)
                        }
                    }
                }
                snapshot = .init(
                    groups: groups, sessions: sessions,
                    watermark: WatermarkState(maxEventTime: maxEventTime, current: current),
                    removedGroups: removed[0], removedSessions: removed[1])
            }
            outputs.append(
                OutputCheckpoint(
                    table: table, nextBatchId: nextBatchId, rowsOut: rowsOut, lateRows: lateRows,
                    aggregation: snapshot))
        }
        var deadLetterEnd: Offset?
        var lateRowsEnd: Offset?
        if version >= 2 {
            deadLetterEnd = try r.optional()
            lateRowsEnd = try r.optional()
        }
        self.init(
            version: version, pipeline: pipeline, fingerprint: fingerprint, topic: topic, offsets: offsets,
            recordsIn: recordsIn, deadLetters: deadLetters, writtenAtMillis: writtenAt, outputs: outputs,
            deadLetterEnd: deadLetterEnd, lateRowsEnd: lateRowsEnd, generation: generation, sequence: sequence
        )
    }
}
