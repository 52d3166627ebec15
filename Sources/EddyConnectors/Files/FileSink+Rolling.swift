import EddyFormats
import EddyStream
import Logging

extension FileSink {
    /// Files rolled since this sink opened (for metrics and tests).
    public var rolledFiles: Int { rolls }

    /// Merges the pending files into one visible file (more when their schemas differ) when the oldest is
    /// `rollInterval` old or they hold `maxFileRows` rows. The roll's commit entry names the merged-away
    /// files; they are deleted after it, and on open if a crash came first.
    func rollIfDue() throws {
        guard let interval = options.rollInterval, !pending.isEmpty, let since = pendingSince,
            let last = log.last
        else { return }
        let age = clock.nowMillis() - since
        let rows = pending.reduce(0) { $0 + $1.rows }
        guard age >= interval.milliseconds || rows >= options.maxFileRows else { return }
        let sequence = log.nextSequence
        var files: [FileCommitEntry.File] = []
        var staged: [(from: String, to: String)] = []
        do {
            switch format {
            case .parquet:
                var writer: ParquetWriter?
                var name = ""
                var count = 0
                func finish() throws {
                    guard let open = writer else { return }
                    try open.close()
                    files.append(
                        FileCommitEntry.File(
                            name: name, rows: count, bytes: DurableFiles.size(open.path) ?? 0))
                    writer = nil
                    count = 0
                }
                for file in pending {
                    let table = try ParquetReader(path: pendingDirectory + "/" + file.name).read()
                    if let open = writer, open.fields != table.fields { try finish() }
                    if writer == nil {
                        name = Self.partName(
                            sequence: sequence, index: staged.count, ext: format.fileExtension)
                        let path =
                            temporary + "/"
                            + Self.stagedName(sequence: sequence, index: staged.count, name: name)
                        writer = try ParquetWriter(path: path, fields: table.fields, options: options.parquet)
                        staged.append((path, directory + "/" + name))
                    }
                    try writer!.write(table)
                    count += table.rowCount
                }
                try finish()
            case .csv:
                // Concatenated; the header row of every file but the first is dropped (same columns) or
                // starts a new file (other columns).
                var out: [UInt8] = []
                var header: [UInt8]?
                var count = 0
                func finish() throws {
                    guard header != nil else { return }
                    let name = Self.partName(
                        sequence: sequence, index: staged.count, ext: format.fileExtension)
                    let path =
                        temporary + "/" + Self.stagedName(sequence: sequence, index: staged.count, name: name)
                    try DurableFiles.writeAtomically(out, to: path)
                    files.append(FileCommitEntry.File(name: name, rows: count, bytes: out.count))
                    staged.append((path, directory + "/" + name))
                    out = []
                    header = nil
                    count = 0
                }
                for file in pending {
                    let bytes = try DurableFiles.read(pendingDirectory + "/" + file.name)
                    let lineEnd = bytes.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
                    let first = Array(bytes[..<lineEnd])
                    if let current = header, current != first { try finish() }
                    if header == nil {
                        header = first
                        out.append(contentsOf: first)
                    }
                    out.append(contentsOf: bytes[lineEnd...])
                    count += file.rows
                }
                try finish()
            }
            try DurableFiles.sync(temporary, directory: true)
        } catch {
            for file in staged { try? DurableFiles.remove(file.from) }
            throw error
        }
        let entry = FileCommitEntry(
            sequence: sequence, batch: last.batch, pipeline: last.pipeline, table: last.table,
            mode: last.mode,
            files: files, offsets: [], committedAt: clock.nowMillis() * 1000, rolled: pending.map(\.name))
        try log.append(entry)
        for file in staged { try DurableFiles.rename(file.from, to: file.to) }
        try DurableFiles.sync(directory, directory: true)
        for file in pending { try DurableFiles.remove(pendingDirectory + "/" + file.name) }
        try DurableFiles.sync(pendingDirectory, directory: true)
        logger.debug(
            "rolled", metadata: ["files": "\(pending.count)", "rows": "\(rows)", "dir": "\(directory)"])
        pending = []
        pendingSince = nil
        rolls += 1
    }

    /// Rows of a pending file (its footer; CSV: lines after the header).
    static func rowCount(_ path: String, _ format: FileFormat) -> Int {
        switch format {
        case .parquet: return (try? ParquetReader(path: path).rowCount) ?? 0
        case .csv:
            let bytes = (try? DurableFiles.read(path)) ?? []
            return max(0, bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } - 1)
        }
    }
}

extension FileSink.Options {
    /// Applies `roll=DURATION` (`30s`, `5m`, `1h`, `500ms`) and `rows=N` from a sink URL's query.
    mutating func apply(query: Substring, url: String) throws(FileSinkError) {
        for option in query.split(separator: "&") {
            let parts = option.split(separator: "=", maxSplits: 1)
            let value = parts.count == 2 ? parts[1] : ""
            switch parts.first ?? "" {
            case "roll":
                guard let duration = Self.duration(value) else {
                    throw .option(url: url, reason: "roll=\(value) is not a duration like 30s, 5m or 1h")
                }
                rollInterval = duration
            case "rows":
                guard let rows = Int(value), rows > 0 else {
                    throw .option(url: url, reason: "rows=\(value) is not a positive row count")
                }
                maxFileRows = rows
            default:
                throw .option(url: url, reason: "unknown option '\(option)' (known: roll=DURATION, rows=N)")
            }
        }
    }

    static func duration(_ text: Substring) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, millis) in units where text.hasSuffix(suffix) {
            guard let n = Int64(text.dropLast(suffix.count)), n > 0 else { return nil }
            return .milliseconds(n * millis)
        }
        return nil
    }
}

extension Duration {
    fileprivate var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
