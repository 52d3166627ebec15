public import EddyFormats
public import EddyStream

extension ColumnTable {
    /// The engine's result rows as typed columns for the file writers, filled column by column into contiguous
    /// arrays (no dictionary per row). Integers are int64, timestamps UTC microseconds, decimals
    /// `decimal(18, scale)` with their exact digits; arrays and objects are written as their JSON text.
    ///
    /// ```swift
    /// let table = try ColumnTable(rows: batch.rows, columns: batch.columns)
    /// try ParquetWriter.write(table, to: "part.parquet")
    /// ```
    public init(rows: some Collection<Row>, columns: [Column]) throws(FileSinkError) {
        var fields: [Field] = []
        var arrays: [ColumnArray] = []
        fields.reserveCapacity(columns.count)
        for (index, column) in columns.enumerated() {
            let (field, array) = try Self.column(index, column, rows)
            fields.append(field)
            arrays.append(array)
        }
        do {
            try self.init(fields: fields, columns: arrays)
        } catch {
            throw .format("\(error)")
        }
    }

    private static func column(_ index: Int, _ column: Column, _ rows: some Collection<Row>)
        throws(FileSinkError)
        -> (Field, ColumnArray)
    {
        var validity: [Bool] = []
        validity.reserveCapacity(rows.count)
        var nulls = 0
        func mismatch(_ value: Value, _ expected: String) -> FileSinkError {
            .valueMismatch(column: column.name, expected: expected, value: value.jsonText)
        }
        let values: ColumnValues
        let type: FieldType
        switch column.type {
        case .bool:
            var out: [Bool] = []
            out.reserveCapacity(rows.count)
            for row in rows {
                switch row[index] {
                case .bool(let b): out.append(b)
                case .null: out.append(false)
                case let other: throw mismatch(other, "a boolean")
                }
            }
            values = .boolean(out)
            type = .boolean
        case .int, .timestamp:
            var out: [Int64] = []
            out.reserveCapacity(rows.count)
            for row in rows {
                switch row[index] {
                case .int(let i), .timestamp(let i): out.append(i)
                case .null: out.append(0)
                case let other: throw mismatch(other, "an integer")
                }
            }
            values = .int64(out)
            type = column.type == .int ? .int64 : .timestamp(.micros, utc: true)
        case .double:
            var out: [Double] = []
            out.reserveCapacity(rows.count)
            for row in rows {
                switch row[index] {
                case .double(let d): out.append(d)
                case .int(let i): out.append(Double(i))
                case .null: out.append(0)
                case let other: throw mismatch(other, "a number")
                }
            }
            values = .double(out)
            type = .double
        case .decimal(let scale):
            var out: [Int64] = []
            out.reserveCapacity(rows.count)
            for row in rows {
                switch row[index] {
                case .decimal(let d):
                    guard let units = rescaled(d, to: scale) else {
                        throw mismatch(.decimal(d), "scale \(scale)")
                    }
                    out.append(units)
                case .int(let i):
                    guard let units = rescaled(DecimalValue(units: i, scale: 0), to: scale) else {
                        throw mismatch(.int(i), "scale \(scale)")
                    }
                    out.append(units)
                case .null: out.append(0)
                case let other: throw mismatch(other, "a decimal")
                }
            }
            values = .int64(out)
            type = .decimal(precision: 18, scale: max(0, min(18, scale)))
        case .string, .array, .object:
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(rows.count + 1)
            var data: [UInt8] = []
            for row in rows {
                switch row[index] {
                case .string(let s): data.append(contentsOf: s.utf8)
                case .null: break
                case let other: data.append(contentsOf: other.jsonText.utf8)
                }
                offsets.append(Int32(truncatingIfNeeded: data.count))
            }
            values = .bytes(offsets: offsets, data: data)
            type = .string
        }
        for row in rows {
            let valid = !row[index].isNull
            if !valid { nulls += 1 }
            validity.append(valid)
        }
        return (Field(column.name, type), ColumnArray(values, validity: nulls == 0 ? nil : validity))
    }

    /// `value`'s unscaled digits at `scale`, nil when that loses digits or overflows.
    static func rescaled(_ value: DecimalValue, to scale: Int) -> Int64? {
        var units = value.units
        if value.scale < scale {
            for _ in value.scale..<scale {
                let (product, overflow) = units.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                units = product
            }
        } else if value.scale > scale {
            for _ in scale..<value.scale {
                guard units % 10 == 0 else { return nil }
                units /= 10
            }
        }
        return units
    }
}
