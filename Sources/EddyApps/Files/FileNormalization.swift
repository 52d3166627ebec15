public import EddyFormats

/// Seed 004's normalisation of one raw file, column by column: JSON-object text columns flattened into
/// `parent_child` columns, names in snake_case, strings trimmed, columns of ISO-8601 strings as UTC
/// timestamps, numbers in the narrowest exact type (int8…int64; doubles that are all whole numbers as
/// integers), and rows whose `key` value was seen before in the file dropped (the first one kept).
///
/// ```swift
/// let clean = try FileNormalization(key: "id").apply(try ParquetReader(path: raw).read())
/// ```
public struct FileNormalization: Sendable {
    /// The column (after renaming) that identifies a record; nil keeps every row.
    public var key: String?

    public init(key: String? = nil) {
        self.key = key
    }

    public func apply(_ table: ColumnTable) throws -> ColumnTable {
        var fields: [Field] = []
        var columns: [ColumnArray] = []
        for (field, column) in zip(table.fields, table.columns) {
            if let nested = Self.flattened(field, column) {
                for (f, c) in nested {
                    fields.append(f)
                    columns.append(c)
                }
            } else {
                fields.append(field)
                columns.append(column)
            }
        }
        for i in fields.indices {
            fields[i].name = SnakeCase.convert(fields[i].name)
            (fields[i], columns[i]) = Self.typed(fields[i], columns[i])
        }
        var result = try ColumnTable(fields: fields, columns: columns)
        if let key {
            guard let index = fields.firstIndex(where: { $0.name == key }) else {
                throw NormalizationError.missingKey(key, columns: fields.map(\.name))
            }
            var seen: Set<[UInt8]> = []
            var keep: [Int] = []
            for row in 0..<result.rowCount
            where seen.insert(result.text(row: row, column: index) ?? []).inserted {
                keep.append(row)
            }
            if keep.count < result.rowCount {
                result = try ColumnTable(fields: fields, columns: result.columns.map { $0.taking(keep) })
            }
        }
        return result
    }

    /// A string column whose every value is a JSON object, as the columns of its members; nil otherwise.
    static func flattened(_ field: Field, _ column: ColumnArray) -> [(Field, ColumnArray)]? {
        guard field.type == .string, case .bytes? = column.values, let values = column.values else {
            return nil
        }
        var nodes: [JSONNode?] = []
        nodes.reserveCapacity(column.count)
        var any = false
        for row in 0..<column.count {
            if column.isNull(row) {
                nodes.append(nil)
                continue
            }
            let bytes = Array(values.bytes(at: row))
            guard bytes.first == UInt8(ascii: "{"), let node = try? JSONNode(parsing: bytes),
                case .object = node
            else { return nil }
            nodes.append(node)
            any = true
        }
        guard any else { return nil }
        return RecordColumns.columns(nodes, prefix: field.name, flatten: true)
    }

    /// Trimmed strings (as timestamps when every one is ISO-8601), and numbers narrowed.
    static func typed(_ field: Field, _ column: ColumnArray) -> (Field, ColumnArray) {
        guard let values = column.values else { return (field, column) }
        var field = field
        let rows = 0..<column.count
        switch (field.type, values) {
        case (.string, .bytes):
            let trimmed = rows.map { column.isNull($0) ? "" : trim(values.string(at: $0)) }
            var stamps: [Int64] = []
            stamps.reserveCapacity(column.count)
            var allTimes = rows.contains { !column.isNull($0) }
            for row in rows where allTimes {
                if column.isNull(row) {
                    stamps.append(0)
                } else if looksLikeTime(trimmed[row]),
                    let micros = TimeText.parseTimestamp(Array(trimmed[row].utf8), unit: .micros)
                {
                    stamps.append(micros)
                } else {
                    allTimes = false
                }
            }
            if allTimes {
                field.type = .timestamp(.micros, utc: true)
                return (field, ColumnArray(.int64(stamps), validity: column.validity))
            }
            return (field, ColumnArray(ColumnValues.strings(trimmed), validity: column.validity))
        case (.int(bits: 64, signed: true), .int64(let ints)):
            return narrowed(field, ints, column.validity)
        case (.double, .double(let doubles)):
            let whole = rows.allSatisfy {
                column.isNull($0) || (doubles[$0].rounded() == doubles[$0] && abs(doubles[$0]) < 9.0e15)
            }
            guard whole, rows.contains(where: { !column.isNull($0) }) else { return (field, column) }
            return narrowed(field, doubles.map { Int64($0) }, column.validity)
        default:
            return (field, column)
        }
    }

    static func narrowed(_ field: Field, _ ints: [Int64], _ validity: [Bool]?) -> (Field, ColumnArray) {
        var low: Int64 = 0
        var high: Int64 = 0
        for (row, value) in ints.enumerated() where validity?[row] ?? true {
            low = min(low, value)
            high = max(high, value)
        }
        var field = field
        for bits in [8, 16, 32] {
            let limit = Int64(1) << (bits - 1)
            if low >= -limit, high < limit {
                field.type = .int(bits: bits, signed: true)
                return (
                    field, ColumnArray(.int32(ints.map { Int32(truncatingIfNeeded: $0) }), validity: validity)
                )
            }
        }
        field.type = .int64
        return (field, ColumnArray(.int64(ints), validity: validity))
    }

    /// A date first (`2024-05-01…`), so numbers-as-text and words never become times.
    static func looksLikeTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.count == 10 else { return false }
        return bytes.enumerated().allSatisfy { i, b in
            (i == 4 || i == 7) ? b == UInt8(ascii: "-") : (b >= 48 && b <= 57)
        }
    }

    static func trim(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}

/// Why a file could not be normalised.
public enum NormalizationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingKey(String, columns: [String])

    public var description: String {
        switch self {
        case .missingKey(let key, let columns):
            "key column '\(key)' is not in the file (columns: \(columns.joined(separator: ", ")))"
        }
    }
}
