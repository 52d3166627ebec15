#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Prints each batch as Spark's console sink does: a `Batch: N` header and a `show()` table (at most
/// `numRows` rows, cells cut to 20 characters with `...`, right-aligned).
///
/// ```swift
/// pipeline.output(mode: .complete, to: .console)
/// ```
///
/// ```text
/// -------------------------------------------
/// Batch: 1
/// -------------------------------------------
/// +--------------------+------------------+
/// |            location|    total_duration|
/// +--------------------+------------------+
/// |          Corredor_B|2063.7500000000005|
/// +--------------------+------------------+
/// ```
public struct ConsoleSink: Sink {
    public var numRows: Int
    public var truncate: Bool
    private let emit: @Sendable (String) -> Void

    /// `write` receives each batch's whole text (default: standard output).
    public init(numRows: Int = 20, truncate: Bool = true, write: (@Sendable (String) -> Void)? = nil) {
        self.numRows = numRows
        self.truncate = truncate
        self.emit = write ?? StandardOutput.write
    }

    public func write(_ batch: SinkBatch) async throws {
        emit(Self.render(batch, numRows: numRows, truncate: truncate))
    }

    /// The text for one batch, exactly as Spark prints it.
    public static func render(_ batch: SinkBatch, numRows: Int = 20, truncate: Bool = true) -> String {
        let rule = "-------------------------------------------\n"
        return rule + "Batch: \(batch.batchId)\n" + rule
            + showString(
                columns: batch.columns.map(\.name), rows: batch.rows, numRows: numRows, truncate: truncate)
            + "\n"
    }

    /// Spark's `Dataset.showString(numRows, truncate = 20)`.
    public static func showString(columns: [String], rows: [Row], numRows: Int = 20, truncate: Bool = true)
        -> String
    {
        let shown = rows.prefix(max(0, numRows))
        func cell(_ text: String) -> String {
            guard truncate, text.count > 20 else { return text }
            return String(text.prefix(17)) + "..."
        }
        let header = columns.map(cell)
        let body = shown.map { row in row.map { cell($0.renderedForDisplay) } }
        var widths = header.map { max(3, $0.count) }
        for row in body {
            for (i, text) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], text.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var out = "|"
            for (i, width) in widths.enumerated() {
                let text = i < cells.count ? cells[i] : ""
                let padding = String(repeating: " ", count: max(0, width - text.count))
                out += (truncate ? padding + text : text + padding) + "|"
            }
            return out + "\n"
        }
        let separator = "+" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "+") + "+\n"
        var out = separator + line(header) + separator
        for row in body { out += line(row) }
        out += separator
        if rows.count > shown.count {
            out += "only showing top \(shown.count) row\(shown.count == 1 ? "" : "s")\n"
        }
        return out
    }
}

extension Sink where Self == ConsoleSink {
    /// Spark-style `Batch: N` tables on standard output.
    public static var console: ConsoleSink { ConsoleSink() }
}

/// Whole-string writes to standard output, so concurrent batches never interleave mid-line.
enum StandardOutput {
    @Sendable static func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc_write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }

    private static func Glibc_write(_ fd: Int32, _ pointer: UnsafePointer<UInt8>, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.write(fd, pointer, count)
        #else
            return Darwin.write(fd, pointer, count)
        #endif
    }
}
