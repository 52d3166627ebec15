public import EddyLog
public import EddyStream

/// Infers a source's schema from sample records (JSON objects): ISO-8601 strings are TIMESTAMP, integers
/// BIGINT, other numbers DOUBLE, objects ROW, arrays ARRAY of their elements' type. A field seen with two
/// types takes the wider (BIGINT and DOUBLE → DOUBLE), else STRING; a field only ever null is STRING.
///
/// ```swift
/// let schema = SchemaInference.infer([#"{"id": 1, "at": "2024-08-23T15:22:16Z"}"#].map { Array($0.utf8) })
/// // id BIGINT, at TIMESTAMP
/// ```
public enum SchemaInference {
    /// Records read from a topic to infer its schema.
    public static let sampleSize = 1000

    /// The schema of `records`; records that are not JSON objects are skipped.
    public static func infer(_ records: [[UInt8]]) -> Schema {
        var merged: Inferred = .unknown
        for record in records {
            var reader = Reader(bytes: record)
            guard let value = reader.document(), case .object = value else { continue }
            merged = merged.merged(with: value)
        }
        guard case .object(let fields) = merged else { return Schema([]) }
        return Schema(fields.map { Column($0.name, $0.type.columnType) })
    }

    /// The first `sampleSize` records of `topic` (spread over its partitions) and the schema they give; nil
    /// when the topic does not exist.
    public static func sample(log: any Log, topic: String, count: Int = sampleSize) throws -> (Schema, Int)? {
        let description: TopicDescription
        do {
            description = try log.describeTopic(topic)
        } catch {
            if case .topicNotFound = error { return nil }
            throw error
        }
        var records: [[UInt8]] = []
        let perPartition = max(1, count / max(1, description.partitions.count))
        for partition in description.partitions {
            var offset = partition.startOffset
            var taken = 0
            while taken < perPartition, offset < partition.endOffset {
                let fetched = try log.read(
                    TopicPartition(topic, partition.partition), from: offset, maxBytes: 1 << 20)
                if fetched.isEmpty { break }
                fetched.forEach { view in
                    if taken < perPartition {
                        records.append(Array(view.value))
                        taken += 1
                    }
                }
                offset = fetched.nextOffset
            }
        }
        return (infer(records), records.count)
    }

    /// A type as seen so far.
    indirect enum Inferred: Sendable, Equatable {
        case unknown
        case bool, int, double, string, timestamp
        case array(Inferred)
        case object([Field])

        struct Field: Sendable, Equatable {
            var name: String
            var type: Inferred
        }

        func merged(with other: Inferred) -> Inferred {
            switch (self, other) {
            case (.unknown, _): return other
            case (_, .unknown): return self
            case _ where self == other: return self
            case (.int, .double), (.double, .int): return .double
            case (.timestamp, .string), (.string, .timestamp): return .string
            case (.array(let a), .array(let b)): return .array(a.merged(with: b))
            case (.object(var fields), .object(let more)):
                for field in more {
                    if let i = fields.firstIndex(where: { $0.name == field.name }) {
                        fields[i].type = fields[i].type.merged(with: field.type)
                    } else {
                        fields.append(field)
                    }
                }
                return .object(fields)
            default: return .string
            }
        }

        var columnType: ColumnType {
            switch self {
            case .unknown, .string: .string
            case .bool: .bool
            case .int: .int
            case .double: .double
            case .timestamp: .timestamp
            case .array(let element): .array(element.columnType)
            case .object(let fields): .object(fields.map { Column($0.name, $0.type.columnType) })
            }
        }
    }

    /// Just enough JSON to see types: values are classified, not kept.
    struct Reader {
        var bytes: [UInt8]
        var i = 0

        mutating func document() -> Inferred? {
            guard let v = value() else { return nil }
            skipSpace()
            return i == bytes.count ? v : nil
        }

        mutating func skipSpace() {
            while i < bytes.count,
                bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09
            {
                i += 1
            }
        }

        mutating func value() -> Inferred? {
            skipSpace()
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var fields: [Inferred.Field] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object(fields)
                }
                while true {
                    skipSpace()
                    guard let name = string() else { return nil }
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                    i += 1
                    guard let v = value() else { return nil }
                    if let k = fields.firstIndex(where: { $0.name == name }) {
                        fields[k].type = v
                    } else {
                        fields.append(.init(name: name, type: v))
                    }
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    guard bytes[i] == UInt8(ascii: "}") else { return nil }
                    i += 1
                    return .object(fields)
                }
            case UInt8(ascii: "["):
                i += 1
                var element: Inferred = .unknown
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(element)
                }
                while true {
                    guard let v = value() else { return nil }
                    element = element.merged(with: v)
                    skipSpace()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    guard bytes[i] == UInt8(ascii: "]") else { return nil }
                    i += 1
                    return .array(element)
                }
            case UInt8(ascii: "\""):
                guard let s = string() else { return nil }
                return Timestamp.parseISO8601(s) != nil && s.count >= 10 ? .timestamp : .string
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                for word in ["true", "false", "null"] where bytes[i...].starts(with: word.utf8) {
                    i += word.utf8.count
                    return word == "null" ? .unknown : .bool
                }
                return nil
            default:
                let start = i
                var integral = true
                while i < bytes.count, let c = Optional(bytes[i]),
                    (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
                        || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                {
                    if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                        integral = false
                    }
                    i += 1
                }
                guard i > start else { return nil }
                return integral ? .int : .double
            }
        }

        mutating func string() -> String? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if c == UInt8(ascii: "\\"), i + 1 < bytes.count {
                    out.append(bytes[i + 1])
                    i += 2
                    continue
                }
                out.append(c)
                i += 1
            }
            return nil
        }
    }
}
