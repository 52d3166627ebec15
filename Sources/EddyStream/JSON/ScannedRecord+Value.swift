extension ScannedRecord {
    /// The field as a ``Value`` (allocates for strings, arrays and objects): null, or the typed value.
    public func value(_ field: Int) -> Value {
        let s = slot(field)
        switch s.tag {
        case .null: return .null
        case .bool: return .bool(s.a != 0)
        case .int: return .int(s.a)
        case .double: return .double(Double(bitPattern: UInt64(bitPattern: s.a)))
        case .decimal: return .decimal(DecimalValue(units: s.a, scale: Int(s.b)))
        case .timestamp: return .timestamp(s.a)
        case .inputString, .scratchString: return .string(string(field)!)
        case .array:
            let isObject = column(field).elementIsObject
            return .array(
                (0..<Int(s.b)).map { i in
                    let element = self.element(field, i)
                    if isObject { return element.isNullElement ? .null : element.objectValue() }
                    return element.value(0)
                })
        case .object:
            return object(field)!.objectValue()
        }
    }

    /// This record's fields as a row, in schema order.
    public func row() -> Row {
        (0..<fieldCount).map { value($0) }
    }

    /// This record's fields as a ``Value/object(_:)`` keyed by field name (how nested objects materialise).
    public func objectValue() -> Value {
        let first = compiled.plans[plan].firstColumn
        var fields: [String: Value] = [:]
        fields.reserveCapacity(fieldCount)
        for field in 0..<fieldCount { fields[compiled.columnNames[first + field]] = value(field) }
        return .object(fields)
    }
}
