import EddyLog
import EddyStream
import Foundation

/// The commit log of a ``FileSink`` folder, like Spark's `_spark_metadata`: one small JSON file per committed
/// batch under `DIR/_eddy_log/`, named by a sequence number, listing the files the batch made and the source
/// offsets it covers. An entry is written atomically (temporary name, fsync, rename, fsync of the folder);
/// a batch exists exactly when its entry does.
///
/// ```swift
/// var log = try FileCommitLog(directory: "out/sales")
/// let entry = FileCommitEntry(sequence: log.nextSequence, batch: 7, pipeline: "sales", table: "t", …)
/// try log.append(entry)
/// ```
struct FileCommitLog {
    static let folderName = "_eddy_log"
    /// Entries kept besides the newest: recovery needs only the newest one, the rest are an audit trail.
    static let retained = 100

    let directory: String
    var folder: String { directory + "/" + Self.folderName }
    /// The newest entry, nil before the first commit.
    private(set) var last: FileCommitEntry?
    /// Per pipeline: the latest offset of each source partition over all entries.
    private(set) var offsets: [String: SourceOffsets] = [:]

    init(directory: String) throws(FileSinkError) {
        self.directory = directory
        try DurableFiles.makeDirectory(folder)
        let decoder = JSONDecoder()
        for name in DurableFiles.list(folder) {
            let path = folder + "/" + name
            // A leftover of an interrupted entry write: the batch was not committed.
            guard !name.hasPrefix(".") else {
                try DurableFiles.remove(path)
                continue
            }
            guard name.hasSuffix(".json") else { continue }
            let entry: FileCommitEntry
            do {
                entry = try decoder.decode(FileCommitEntry.self, from: Data(try DurableFiles.read(path)))
            } catch let error as FileSinkError {
                throw error
            } catch {
                throw .corruptLogEntry(path: path, reason: "\(error)")
            }
            absorb(entry)
        }
    }

    var nextSequence: Int64 { (last?.sequence ?? -1) + 1 }

    func entryPath(_ sequence: Int64) -> String {
        folder + "/" + String(repeating: "0", count: max(0, 12 - String(sequence).count)) + "\(sequence).json"
    }

    /// Commits `entry`: once this returns, the batch is durable.
    mutating func append(_ entry: FileCommitEntry) throws(FileSinkError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(entry))
        } catch {
            throw .io(
                operation: "encode the commit entry", path: entryPath(entry.sequence), reason: "\(error)")
        }
        try DurableFiles.writeAtomically(bytes, to: entryPath(entry.sequence))
        absorb(entry)
        if entry.sequence >= Self.retained {
            try DurableFiles.remove(entryPath(entry.sequence - Int64(Self.retained)))
        }
    }

    private mutating func absorb(_ entry: FileCommitEntry) {
        if last == nil || entry.sequence > last!.sequence { last = entry }
        var stored = offsets[entry.pipeline] ?? [:]
        for offset in entry.offsets {
            let tp = TopicPartition(offset.topic, offset.partition)
            stored[tp] = max(stored[tp] ?? offset.next, offset.next)
        }
        offsets[entry.pipeline] = stored
    }
}

/// One committed batch of a ``FileSink``: what `DIR/_eddy_log/NNNNNNNNNNNN.json` holds.
struct FileCommitEntry: Codable, Sendable, Equatable {
    struct File: Codable, Sendable, Equatable {
        /// The name inside the folder (`part-000000000007-000.parquet`).
        var name: String
        var rows: Int
        var bytes: Int
    }

    struct PartitionOffset: Codable, Sendable, Equatable {
        var topic: String
        var partition: Int
        /// The next offset to read: everything before it is in this batch or an earlier one.
        var next: Int64
    }

    var sequence: Int64
    /// The engine's batch id.
    var batch: Int64
    var pipeline: String
    var table: String
    var mode: String
    var files: [File]
    var offsets: [PartitionOffset]
    /// Microseconds since the epoch.
    var committedAt: Int64
    /// Rolling by time: the batch's files wait under `_pending/` for the roll (invisible to readers).
    var pending: Bool? = nil
    /// A roll: `files` were merged from these pending files, which are deleted once it is committed.
    var rolled: [String]? = nil

    enum CodingKeys: String, CodingKey {
        case sequence, batch, pipeline, table, mode, files, offsets, pending, rolled
        case committedAt = "committed_at"
    }
}
