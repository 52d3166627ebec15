public import EddyFormats
import EddyLog
public import EddyStream
import Logging

/// An exactly-once sink into a folder of Parquet or CSV files (`--sink parquet:DIR`, `--sink csv:DIR`) that
/// `read_parquet('DIR/*.parquet')` reads as one table.
///
/// Each batch is written to `DIR/_temporary/` (which `*.parquet` globs do not match), fsynced, committed by
/// an entry in the commit log `DIR/_eddy_log/` (the files and the source offsets they cover), and only then
/// renamed into the folder. On open after a crash, files of a committed batch still in `_temporary` are
/// renamed into place and everything else there (an uncommitted batch) is deleted; the pipeline resumes
/// from ``committedOffsets(pipeline:)`` and redoes the lost batch, and a batch whose entry exists is a replay
/// and is skipped. So rows are neither lost nor duplicated and no half-written file is ever visible.
///
/// Append and update outputs add files `part-<sequence>-<n>.<ext>` (an update output's files form a
/// changelog of changed rows), cut every ``Options/maxFileRows`` rows within a batch. Complete outputs
/// replace one snapshot file `<table>.<ext>` per batch by an atomic rename. By default a file never spans
/// batches (the pipeline's trigger interval is the time roll).
///
/// Rolling by time (``Options/rollInterval``, `parquet:DIR?roll=5m`): each batch is still committed on its
/// own, but its file waits in `DIR/_pending/`; once the oldest pending file is `roll` old, or the pending
/// rows reach ``Options/maxFileRows``, the pending files are merged into one visible file by a commit entry
/// of its own that names them (a crash after it deletes them on open; before it, they stay pending). So a
/// 5-minute roll makes one file per 5 minutes, still exactly once.
///
/// ```swift
/// let sink = try FileSink(directory: "out/sales", format: .parquet)
/// let rolling = try FileSink(directory: "out/sales?roll=5m&rows=1000000", format: .parquet)
/// let pipeline = SalesPipeline().pipeline(to: sink)
/// ```
public actor FileSink: Sink {
    public struct Options: Sendable {
        /// A file is cut after this many rows (a batch larger than this makes several files); when rolling
        /// by time, pending files are also rolled once they hold this many rows.
        public var maxFileRows: Int
        public var parquet: ParquetWriteOptions
        /// Roll files by time: nil makes a file per batch; otherwise batches collect in `_pending/` until
        /// the oldest is this old (checked at each batch).
        public var rollInterval: Duration?

        public init(
            maxFileRows: Int = 1_000_000, parquet: ParquetWriteOptions = ParquetWriteOptions(codec: .snappy),
            rollInterval: Duration? = nil
        ) {
            self.maxFileRows = max(1, maxFileRows)
            self.parquet = parquet
            self.rollInterval = rollInterval
        }
    }

    public nonisolated let directory: String
    public nonisolated let format: FileFormat
    let options: Options
    var log: FileCommitLog
    let clock: any PipelineClock
    let logger = Logger(label: "eddy.sink.files")
    /// Rolling by time: committed files waiting in `_pending/`, their rows, and since when (milliseconds).
    var pending: [FileCommitEntry.File] = []
    var pendingSince: Int64?

    /// Batches committed and replays skipped since this sink opened (for metrics and tests).
    public private(set) var committedBatches = 0
    public private(set) var skippedReplays = 0
    var rolls = 0

    static let temporaryFolder = "_temporary"
    static let pendingFolder = "_pending"
    var temporary: String { directory + "/" + Self.temporaryFolder }
    var pendingDirectory: String { directory + "/" + Self.pendingFolder }

    /// Opens (creating) the folder and finishes or discards what a crash left half done. `directory` may
    /// end in `?roll=DURATION&rows=N` (as in `--sink parquet:DIR?roll=5m`), which overrides `options`.
    public init(
        directory: String, format: FileFormat, options: Options = Options(),
        clock: any PipelineClock = SystemClock()
    ) throws(FileSinkError) {
        var options = options
        var directory = directory
        if let question = directory.firstIndex(of: "?") {
            try options.apply(query: directory[directory.index(after: question)...], url: directory)
            directory = String(directory[..<question])
        }
        self.directory = directory
        self.format = format
        self.options = options
        self.clock = clock
        try DurableFiles.makeDirectory(directory + "/" + Self.temporaryFolder)
        try DurableFiles.makeDirectory(directory + "/" + Self.pendingFolder)
        let log = try FileCommitLog(directory: directory)
        try Self.recover(directory: directory, log: log)
        self.log = log
        // Files committed but not rolled yet: the roll timer restarts with this process.
        let pendingFolder = directory + "/" + Self.pendingFolder
        for name in DurableFiles.list(pendingFolder).sorted() where !name.hasPrefix(".") {
            let path = pendingFolder + "/" + name
            pending.append(
                FileCommitEntry.File(
                    name: name, rows: Self.rowCount(path, format), bytes: DurableFiles.size(path) ?? 0))
        }
        if !pending.isEmpty { pendingSince = clock.nowMillis() }
    }

    /// Renames the newest committed batch's files still under `_temporary` into place (the crash came
    /// between the commit entry and the renames) and deletes the rest of `_temporary`.
    private static func recover(directory: String, log: FileCommitLog) throws(FileSinkError) {
        let temporary = directory + "/" + temporaryFolder
        var finished = false
        if let last = log.last {
            let target = last.pending == true ? directory + "/" + pendingFolder : directory
            for (n, file) in last.files.enumerated() {
                let staged = temporary + "/" + stagedName(sequence: last.sequence, index: n, name: file.name)
                if DurableFiles.exists(staged) {
                    try DurableFiles.rename(staged, to: target + "/" + file.name)
                    finished = true
                }
            }
            // A committed roll whose merged-away files were not all deleted yet.
            for name in last.rolled ?? []
            where DurableFiles.exists(directory + "/" + pendingFolder + "/" + name) {
                try DurableFiles.remove(directory + "/" + pendingFolder + "/" + name)
            }
            if last.pending == true { try DurableFiles.sync(target, directory: true) }
        }
        for name in DurableFiles.list(temporary) { try DurableFiles.remove(temporary + "/" + name) }
        if finished { try DurableFiles.sync(directory, directory: true) }
    }

    static func stagedName(sequence: Int64, index: Int, name: String) -> String {
        "\(sequence)-\(index)-\(name)"
    }

    public func write(_ batch: SinkBatch) async throws {
        try rollIfDue()
        if let last = log.last, last.table != batch.table {
            throw FileSinkError.otherTable(
                directory: directory, logTable: last.table, batchTable: batch.table)
        }
        let stored = log.offsets[batch.pipeline] ?? [:]
        let covered = batch.offsets.allSatisfy { (stored[$0.key] ?? -1) >= $0.value }
        // A batch that reads nothing beyond what is committed repeats committed rows: a replay after a restart
        // from an older checkpoint, or the state a restored pipeline re-emits. Appending it would duplicate
        // rows; a snapshot (complete mode) is replaced instead, so only an older-or-equal id is skipped there.
        if log.last != nil, covered, batch.mode != .complete || batch.batchId <= log.last!.batch {
            if !batch.rows.isEmpty {
                skippedReplays += 1
                logger.debug(
                    "skipped replayed batch", metadata: ["batch": "\(batch.batchId)", "dir": "\(directory)"])
            }
            return
        }
        if log.last == nil, batch.rows.isEmpty, batch.mode != .complete, covered { return }
        let sequence = log.nextSequence
        let holding = options.rollInterval != nil && batch.mode != .complete
        let target = holding ? pendingDirectory : directory
        var files: [FileCommitEntry.File] = []
        var staged: [(from: String, to: String)] = []
        let chunks: [Range<Int>]
        if batch.mode == .complete {
            chunks = [0..<batch.rows.count]
        } else {
            chunks = stride(from: 0, to: batch.rows.count, by: options.maxFileRows).map {
                $0..<min(batch.rows.count, $0 + options.maxFileRows)
            }
        }
        do {
            for (n, range) in chunks.enumerated() {
                let name =
                    batch.mode == .complete
                    ? "\(batch.table).\(format.fileExtension)"
                    : Self.partName(sequence: sequence, index: n, ext: format.fileExtension)
                let path = temporary + "/" + Self.stagedName(sequence: sequence, index: n, name: name)
                let table = try ColumnTable(rows: batch.rows[range], columns: batch.columns)
                try writeFile(table, to: path)
                files.append(
                    FileCommitEntry.File(name: name, rows: range.count, bytes: DurableFiles.size(path) ?? 0))
                staged.append((path, target + "/" + name))
            }
            if !staged.isEmpty { try DurableFiles.sync(temporary, directory: true) }
        } catch {
            for file in staged { try? DurableFiles.remove(file.from) }
            throw error
        }
        let entry = FileCommitEntry(
            sequence: sequence, batch: batch.batchId, pipeline: batch.pipeline, table: batch.table,
            mode: batch.mode.rawValue, files: files,
            offsets: batch.offsets.map {
                FileCommitEntry.PartitionOffset(
                    topic: $0.key.topic, partition: $0.key.partition, next: $0.value)
            }.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) },
            committedAt: clock.nowMillis() * 1000, pending: holding ? true : nil)
        try log.append(entry)
        // Committed: from here a crash is finished by recover(), so the renames need no undo.
        for file in staged { try DurableFiles.rename(file.from, to: file.to) }
        if !staged.isEmpty { try DurableFiles.sync(target, directory: true) }
        committedBatches += 1
        if holding && !files.isEmpty {
            pending.append(contentsOf: files)
            if pendingSince == nil { pendingSince = clock.nowMillis() }
            try rollIfDue()
        }
    }

    func writeFile(_ table: ColumnTable, to path: String) throws {
        do {
            switch format {
            case .parquet:
                try ParquetWriter.write(table, to: path, options: options.parquet)
            case .csv:
                try CSVWriter.write(table, to: path)
                try DurableFiles.sync(path)
            }
        } catch let error as ParquetError {
            throw FileSinkError.format(error.description)
        }
    }

    public func committedOffsets(pipeline: String) async throws -> SourceOffsets? {
        guard let offsets = log.offsets[pipeline], !offsets.isEmpty else { return nil }
        return offsets
    }

    /// `part-000000000007-000.parquet`: sorted by name is sorted by commit.
    static func partName(sequence: Int64, index: Int, ext: String) -> String {
        let s = String(sequence)
        let i = String(index)
        return "part-" + String(repeating: "0", count: max(0, 12 - s.count)) + s + "-"
            + String(repeating: "0", count: max(0, 3 - i.count)) + i + "." + ext
    }
}
