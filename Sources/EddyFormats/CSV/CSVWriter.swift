#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a table as CSV (RFC 4180): a header row, CRLF line ends, fields quoted when they hold a comma,
/// a quote, CR or LF (quotes doubled). A null is an empty field; timestamps are ISO-8601.
///
/// ```swift
/// try CSVWriter.write(table, to: "out.csv")
/// ```
public enum CSVWriter {
    public static func write(_ table: ColumnTable, to path: String) throws(ParquetError) {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        for (i, field) in table.fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            field_(Array(field.name.utf8), &out)
        }
        out.append(contentsOf: [13, 10])
        for row in 0..<table.rowCount {
            for column in table.columns.indices {
                if column > 0 { out.append(UInt8(ascii: ",")) }
                if let text = table.text(row: row, column: column) { field_(text, &out) }
            }
            out.append(contentsOf: [13, 10])
        }
        try FileOutput.write(out, to: path)
    }

    /// One field, quoted when it must be.
    public static func field_(_ text: [UInt8], _ out: inout [UInt8]) {
        let needsQuotes = text.contains { $0 == 44 || $0 == 34 || $0 == 13 || $0 == 10 }
        guard needsQuotes else { return out.append(contentsOf: text) }
        out.append(34)
        for b in text {
            if b == 34 { out.append(34) }
            out.append(b)
        }
        out.append(34)
    }
}

enum FileOutput {
    static func write(_ bytes: [UInt8], to path: String) throws(ParquetError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw ParquetError(.io, "cannot create: \(String(cString: strerror(errno)))", file: path)
        }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "write failed: \(String(cString: strerror(errno)))", file: path)
            }
            done += n
        }
    }
}
