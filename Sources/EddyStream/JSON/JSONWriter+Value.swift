extension JSONWriter {
    /// Writes an engine value — the one Value → JSON rule, used by JSON lines, the HTTP API, SQL sinks'
    /// nested columns and dead-letter records: decimals as exact JSON numbers, timestamps in
    /// ``Timestamp``'s written form, non-finite doubles as null, object members sorted by name.
    public mutating func value(_ value: Value) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .int(let i): int(i)
        case .double(let d): double(d)
        case .decimal(let d):
            rawNumber(d.scale >= 0 ? d.description : String(d.units) + "e" + String(-d.scale))
        case .string(let s): string(s)
        case .timestamp(let micros): timestamp(micros)
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

    /// A timestamp in the written form (`"2024-08-23T15:22:00.000000Z"`).
    public mutating func timestamp(_ micros: Int64) {
        string(Timestamp.formatISO8601(micros))
    }

    /// A row as an object keyed by column name (the API's row shape).
    public mutating func row(_ row: Row, columns: [Column]) {
        object { json in
            for (index, column) in columns.enumerated() {
                json.field(column.name) { $0.value(index < row.count ? row[index] : .null) }
            }
        }
    }

    /// Rows as objects keyed by column name.
    public mutating func rows(_ rows: [Row], columns: [Column]) {
        self.rows(rows, memberNames: columns.map { Self.memberName($0.name) })
    }

    /// Rows as objects keyed by column name: the API's hot path. The member names come escaped from the
    /// layout, and the loop writes punctuation itself instead of nesting a closure per member.
    public mutating func rows(_ rows: [Row], layout: TableLayout) {
        self.rows(rows, memberNames: layout.memberNames)
    }

    private mutating func rows(_ rows: [Row], memberNames names: [[UInt8]]) {
        array { json in
            json.reserve(rows.count * (names.reduce(2) { $0 + $1.count + 12 }))
            for (position, row) in rows.enumerated() {
                json.appendByte(position == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
                if position > 0 { json.appendByte(UInt8(ascii: "{")) }
                for index in names.indices {
                    if index > 0 { json.appendByte(UInt8(ascii: ",")) }
                    json.appendBytes(names[index])
                    json.member(index < row.count ? row[index] : .null)
                }
                json.appendByte(UInt8(ascii: "}"))
            }
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
    public var apiName: String {
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
