import EddyFormats
import Foundation

/// Turns decoded JSON objects into typed columns for `eddy export`: schema inference and `--schema`.
enum JSONColumns {
    /// Parses `name TYPE, name TYPE(…)…`.
    static func parseSchema(_ text: String) throws -> [Field] {
        var fields: [Field] = []
        var depth = 0
        var current = ""
        var parts: [String] = []
        for c in text {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if c == "," && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        for part in parts {
            let words = part.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard words.count == 2 else {
                throw CLIError.invalidArgument(
                    "--schema: '\(part.trimmingCharacters(in: .whitespaces))' is not 'name TYPE'")
            }
            let name = String(words[0])
            let type = words[1].trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(
                of: " ", with: "")
            let fieldType: FieldType
            switch type {
            case "boolean", "bool": fieldType = .boolean
            case "int32", "int": fieldType = .int32
            case "int64", "bigint", "long": fieldType = .int64
            case "float": fieldType = .float
            case "double": fieldType = .double
            case "string", "text", "varchar": fieldType = .string
            case "binary": fieldType = .binary
            case "date": fieldType = .date
            case "timestamp": fieldType = .timestamp(.micros, utc: true)
            case "timestamp_ms": fieldType = .timestamp(.millis, utc: true)
            case "timestamp_ns": fieldType = .timestamp(.nanos, utc: true)
            default:
                if type.hasPrefix("decimal("), type.hasSuffix(")") {
                    let numbers = type.dropFirst(8).dropLast().split(separator: ",").compactMap { Int($0) }
                    if numbers.count == 2, (1...18).contains(numbers[0]),
                        (0...numbers[0]).contains(numbers[1])
                    {
                        fieldType = .decimal(precision: numbers[0], scale: numbers[1])
                        break
                    }
                    throw CLIError.invalidArgument(
                        "--schema: '\(type)' needs decimal(P,S) with 1 ≤ P ≤ 18, 0 ≤ S ≤ P")
                }
                throw CLIError.invalidArgument(
                    "--schema: unknown type '\(type)' for '\(name)' (boolean, int32, int64, float, double, string, binary, date, timestamp, timestamp_ms, timestamp_ns, decimal(P,S))"
                )
            }
            fields.append(Field(name, fieldType))
        }
        return fields
    }

    enum Kind { case boolean, integer, number, timestamp, string, json }

    static func kind(_ value: Any) -> Kind? {
        if value is NSNull { return nil }
        if let number = value as? NSNumber, !(value is String) {
            let type = String(cString: number.objCType)
            if type == "c" || type == "B" { return .boolean }
            return type == "d" || type == "f" ? .number : .integer
        }
        if let text = value as? String {
            return TimeText.parseTimestamp(Array(text.utf8), unit: .micros) != nil ? .timestamp : .string
        }
        return .json
    }

    /// Columns in first-seen key order; a column's type is the widest its values need.
    static func infer(_ objects: [[String: Any]]) -> [Field] {
        var order: [String] = []
        var kinds: [String: Kind?] = [:]
        for object in objects {
            for key in object.keys.sorted() where kinds[key] == nil {
                order.append(key)
                kinds[key] = .some(nil)
            }
            for (key, value) in object {
                guard let k = kind(value) else { continue }
                let old = kinds[key] ?? nil
                kinds[key] = merge(old, k)
            }
        }
        return order.map { name in
            let type: FieldType =
                switch kinds[name] ?? nil {
                case .boolean: .boolean
                case .integer: .int64
                case .number: .double
                case .timestamp: .timestamp(.micros, utc: true)
                case .string, .json, nil: .string
                }
            return Field(name, type)
        }
    }

    static func merge(_ a: Kind?, _ b: Kind) -> Kind {
        guard let a, a != b else { return b }
        switch (a, b) {
        case (.integer, .number), (.number, .integer): return .number
        case (.timestamp, .string), (.string, .timestamp): return .string
        default: return .json
        }
    }

    static func table(_ objects: [[String: Any]], fields: [Field]) throws -> ColumnTable {
        var columns: [ColumnArray] = []
        for field in fields {
            var validity: [Bool] = []
            validity.reserveCapacity(objects.count)
            let values: ColumnValues
            func each<T>(_ zero: T, _ convert: (Any) throws -> T?) throws -> [T] {
                var out: [T] = []
                out.reserveCapacity(objects.count)
                for (row, object) in objects.enumerated() {
                    if let raw = object[field.name], !(raw is NSNull) {
                        guard let v = try convert(raw) else {
                            throw CLIError.invalidArgument(
                                "record \(row + 1): field '\(field.name)' is \(describe(raw)), not a \(field.type)"
                            )
                        }
                        out.append(v)
                        validity.append(true)
                    } else {
                        out.append(zero)
                        validity.append(false)
                    }
                }
                return out
            }
            switch field.type {
            case .boolean:
                values = .boolean(
                    try each(false) { kind($0) == .boolean ? ($0 as! NSNumber).boolValue : nil })
            case .int(let bits, _) where bits <= 32:
                values = .int32(
                    try each(0) { kind($0) == .integer ? Int32(exactly: ($0 as! NSNumber).int64Value) : nil })
            case .int:
                values = .int64(try each(0) { kind($0) == .integer ? ($0 as! NSNumber).int64Value : nil })
            case .float:
                values = .float(
                    try each(0) {
                        [.integer, .number].contains(kind($0)) ? ($0 as! NSNumber).floatValue : nil
                    })
            case .double:
                values = .double(
                    try each(0) {
                        [.integer, .number].contains(kind($0)) ? ($0 as! NSNumber).doubleValue : nil
                    })
            case .decimal(_, let scale):
                values = .int64(
                    try each(0) { raw in
                        guard let number = raw as? NSNumber, kind(raw) != .boolean else { return nil }
                        let decimal = number.decimalValue * pow(Foundation.Decimal(10), scale)
                        var rounded = Foundation.Decimal()
                        var source = decimal
                        NSDecimalRound(&rounded, &source, 0, .plain)
                        return Int64(exactly: NSDecimalNumber(decimal: rounded).doubleValue)
                    })
            case .date:
                values = .int32(
                    try each(0) { raw in
                        guard let text = raw as? String,
                            let micros = TimeText.parseTimestamp(
                                Array((text + "T00:00:00Z").utf8), unit: .micros)
                        else { return nil }
                        return Int32(exactly: micros / 86_400_000_000)
                    })
            case .timestamp(let unit, _):
                values = .int64(
                    try each(0) { raw in
                        if let text = raw as? String {
                            return TimeText.parseTimestamp(Array(text.utf8), unit: unit)
                        }
                        if kind(raw) == .integer { return (raw as! NSNumber).int64Value }
                        return nil
                    })
            default:  // string, binary: strings as they are, anything else as its JSON text
                var offsets: [Int32] = [0]
                var data: [UInt8] = []
                for object in objects {
                    if let raw = object[field.name], !(raw is NSNull) {
                        data.append(contentsOf: text(raw).utf8)
                        validity.append(true)
                    } else {
                        validity.append(false)
                    }
                    offsets.append(Int32(data.count))
                }
                values = .bytes(offsets: offsets, data: data)
            }
            columns.append(ColumnArray(values, validity: validity.contains(false) ? validity : nil))
        }
        return try ColumnTable(fields: fields, columns: columns)
    }

    static func text(_ raw: Any) -> String {
        if let s = raw as? String { return s }
        if kind(raw) == .boolean { return (raw as! NSNumber).boolValue ? "true" : "false" }
        if let n = raw as? NSNumber { return n.stringValue }
        if let data = try? JSONSerialization.data(withJSONObject: raw, options: [.sortedKeys]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(raw)"
    }

    static func describe(_ raw: Any) -> String {
        switch kind(raw) {
        case .boolean: "a boolean"
        case .integer: "an integer"
        case .number: "a number"
        case .timestamp, .string: "a string"
        default: "an object or array"
        }
    }
}
