public import EddyFormats

/// JSON objects (an API's records) as typed columns, in the order keys first appear: booleans, int64,
/// double (integers mixed with fractions), strings; a key missing from a record is null. Nested values and
/// keys whose values mix kinds are kept as their JSON text, unless `flatten` is set, which turns nested
/// objects into `parent_child` columns.
///
/// ```swift
/// let table = try RecordColumns.table([.object([("id", .int(1)), ("name", .string("a"))])])
/// ```
public enum RecordColumns {
    public static func table(_ records: [JSONNode], flatten: Bool = false) throws -> ColumnTable {
        let built = columns(records.map { Optional($0) }, prefix: nil, flatten: flatten)
        return try ColumnTable(fields: built.map(\.0), columns: built.map(\.1))
    }

    private struct Kinds: OptionSet {
        let rawValue: Int
        static let bool = Kinds(rawValue: 1)
        static let int = Kinds(rawValue: 2)
        static let double = Kinds(rawValue: 4)
        static let string = Kinds(rawValue: 8)
        static let object = Kinds(rawValue: 16)
        static let array = Kinds(rawValue: 32)
    }

    /// Columns of the members of `records` (nil or a non-object: a row of nulls), named `prefix_key` when a
    /// prefix is given.
    static func columns(_ records: [JSONNode?], prefix: String?, flatten: Bool) -> [(Field, ColumnArray)] {
        var order: [String] = []
        var kinds: [String: Kinds] = [:]
        for case .object(let members)? in records {
            for member in members {
                if kinds[member.key] == nil { order.append(member.key) }
                var seen = kinds[member.key] ?? []
                switch member.value {
                case .null: break
                case .bool: seen.insert(.bool)
                case .int: seen.insert(.int)
                case .double: seen.insert(.double)
                case .string: seen.insert(.string)
                case .object: seen.insert(.object)
                case .array: seen.insert(.array)
                }
                kinds[member.key] = seen
            }
        }
        var result: [(Field, ColumnArray)] = []
        for key in order {
            let name = prefix.map { $0 + "_" + key } ?? key
            let values = records.map { record -> JSONNode in
                guard case .object? = record else { return .null }
                return record?[key] ?? .null
            }
            let seen = kinds[key] ?? []
            if flatten, seen == .object {
                result += columns(values.map { $0 == .null ? nil : $0 }, prefix: name, flatten: true)
                continue
            }
            result.append(column(name, values, seen))
        }
        return result
    }

    private static func column(_ name: String, _ values: [JSONNode], _ seen: Kinds) -> (Field, ColumnArray) {
        let validity = values.map { $0 != .null }
        let nulls = validity.contains(false) ? validity : nil
        switch seen {
        case .bool:
            let out = values.map { if case .bool(let b) = $0 { b } else { false } }
            return (Field(name, .boolean), ColumnArray(.boolean(out), validity: nulls))
        case .int:
            let out = values.map { if case .int(let i) = $0 { i } else { Int64(0) } }
            return (Field(name, .int64), ColumnArray(.int64(out), validity: nulls))
        case [.double], [.int, .double]:
            let out = values.map { node -> Double in
                switch node {
                case .int(let i): Double(i)
                case .double(let d): d
                default: 0
                }
            }
            return (Field(name, .double), ColumnArray(.double(out), validity: nulls))
        default:
            // Strings as they are; anything else (nested, or a key whose kinds mix) as its JSON text.
            let texts = values.map { node -> String in
                switch node {
                case .null: ""
                case .string(let s): s
                default: node.jsonText
                }
            }
            return (Field(name, .string), ColumnArray(ColumnValues.strings(texts), validity: nulls))
        }
    }
}
