/// Reads CSV (RFC 4180: quoted fields with doubled quotes, CRLF or LF line ends) into string columns,
/// the first row naming them; an empty unquoted field is null.
///
/// ```swift
/// let table = try CSVReader.read(bytes: Array("a,b\r\n1,\"x,y\"\r\n".utf8))
/// ```
public enum CSVReader {
    public static func read(path: String) throws(ParquetError) -> ColumnTable {
        try read(bytes: try ParquetReader.load(path), name: path)
    }

    public static func read(bytes: [UInt8], name: String = "<memory>") throws(ParquetError) -> ColumnTable {
        var rows: [[[UInt8]?]] = []
        var row: [[UInt8]?] = []
        var field: [UInt8] = []
        var quoted = false
        var inQuotes = false
        var i = 0
        var line = 1
        func endField() {
            row.append(field.isEmpty && !quoted ? nil : field)
            field.removeAll()
            quoted = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == 34 {
                    if i + 1 < bytes.count && bytes[i + 1] == 34 {
                        field.append(34)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == 10 { line += 1 }
                    field.append(b)
                }
            } else if b == 34 && field.isEmpty && !quoted {
                inQuotes = true
                quoted = true
            } else if b == 44 {
                endField()
            } else if b == 10 || b == 13 {
                if b == 13 && i + 1 < bytes.count && bytes[i + 1] == 10 { i += 1 }
                endField()
                rows.append(row)
                row = []
                line += 1
            } else {
                field.append(b)
            }
            i += 1
        }
        if inQuotes {
            throw ParquetError(.invalidInput, "line \(line): a quoted field is not closed", file: name)
        }
        if !field.isEmpty || quoted || !row.isEmpty {
            endField()
            rows.append(row)
        }
        guard let header = rows.first else {
            throw ParquetError(.invalidInput, "the file is empty", file: name)
        }
        let names = header.map { String(decoding: $0 ?? [], as: UTF8.self) }
        var columns = names.map { _ in (offsets: [Int32(0)], data: [UInt8](), validity: [Bool]()) }
        for (r, values) in rows.dropFirst().enumerated() {
            guard values.count == names.count else {
                throw ParquetError(
                    .invalidInput, "row \(r + 2) has \(values.count) fields, the header \(names.count)",
                    file: name)
            }
            for (c, value) in values.enumerated() {
                columns[c].data.append(contentsOf: value ?? [])
                columns[c].offsets.append(Int32(columns[c].data.count))
                columns[c].validity.append(value != nil)
            }
        }
        let arrays = columns.map { c in
            ColumnArray(
                .bytes(offsets: c.offsets, data: c.data),
                validity: c.validity.contains(false) ? c.validity : nil)
        }
        return try ColumnTable(fields: names.map { Field($0, .string) }, columns: arrays)
    }
}
