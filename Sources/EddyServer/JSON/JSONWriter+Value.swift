import EddyStream

extension JSONWriter {
    /// Writes an engine value: decimals as exact JSON numbers, timestamps as ISO-8601 UTC text.
    public mutating func value(_ value: Value) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .int(let i): int(i)
        case .double(let d): double(d)
        case .decimal(let d):
            rawNumber(d.scale >= 0 ? d.description : String(d.units) + "e" + String(-d.scale))
        case .string(let s): string(s)
        case .timestamp(let micros): string(ISO8601Micros.format(micros))
        case .array(let values):
            array { json in
                for element in values { json.value(element) }
            }
        case .object(let members):
            object { json in
                for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                    json.field(name) { $0.value(member) }
                }
            }
        }
    }

    /// A row as an object keyed by column name (the API's row shape).
    public mutating func row(_ row: Row, columns: [Column]) {
        object { json in
            for (index, column) in columns.enumerated() {
                json.field(column.name) { $0.value(index < row.count ? row[index] : .null) }
            }
        }
    }

    public mutating func rows(_ rows: [Row], columns: [Column]) {
        array { json in
            for row in rows { json.row(row, columns: columns) }
        }
    }

    /// `[{"name": "location", "type": "string"}, …]`
    public mutating func columns(_ columns: [Column]) {
        array { json in
            for column in columns {
                json.object {
                    $0.field("name") { $0.string(column.name) }
                    $0.field("type") { $0.string(column.type.apiName) }
                }
            }
        }
    }
}

extension ColumnType {
    /// The type's name in API responses.
    var apiName: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .double: "double"
        case .string: "string"
        case .timestamp: "timestamp"
        case .decimal(let scale): "decimal(\(scale))"
        case .array(let element): "array<\(element.apiName)>"
        case .object: "object"
        }
    }
}
