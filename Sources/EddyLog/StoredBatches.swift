/// Whole record batches of one partition as they lie in storage, for a server that sends them on without
/// looking inside: a byte range of a segment file (sent with `sendfile(2)`, never copied through memory)
/// or, for a log that is not file-backed, the bytes themselves.
///
/// ```swift
/// let stored = try log.readStored(TopicPartition("motion", 0), from: 0, maxBytes: 1 << 20)
/// switch stored.bytes {
/// case .file(let range): send(range)          // range.descriptor, range.position, range.count
/// case .memory(let bytes): send(bytes)
/// }
/// ```
public struct StoredBatches: Sendable {
    public enum Bytes: Sendable {
        case memory([UInt8])
        case file(StoredFileRange)
    }

    public var bytes: Bytes
    /// The first offset asked for (a batch may start below it; Kafka clients skip those records).
    public var requestedOffset: Offset
    /// One past the last record of the last batch (`requestedOffset` when nothing was read).
    public var nextOffset: Offset
    public var highWatermark: Offset
    public var logStartOffset: Offset

    public init(
        bytes: Bytes, requestedOffset: Offset, nextOffset: Offset, highWatermark: Offset,
        logStartOffset: Offset
    ) {
        self.bytes = bytes
        self.requestedOffset = requestedOffset
        self.nextOffset = nextOffset
        self.highWatermark = highWatermark
        self.logStartOffset = logStartOffset
    }

    /// The same batches in memory, as ``Log/read(_:from:maxBytes:)`` returns them.
    public init(_ fetched: FetchedRecords) {
        self.init(
            bytes: .memory(fetched.batches), requestedOffset: fetched.requestedOffset,
            nextOffset: fetched.nextOffset, highWatermark: fetched.highWatermark,
            logStartOffset: fetched.logStartOffset)
    }

    /// How many bytes of batches there are.
    public var count: Int {
        switch bytes {
        case .memory(let bytes): bytes.count
        case .file(let range): range.count
        }
    }

    /// The bytes, read into memory when they are in a file.
    public func load() throws(LogError) -> [UInt8] {
        switch bytes {
        case .memory(let bytes): bytes
        case .file(let range): try range.load()
        }
    }
}

/// `count` bytes of whole batches at `position` in a segment file. Holding the value keeps the file open, so
/// retention may delete the segment meanwhile without the bytes going away.
public struct StoredFileRange: Sendable {
    let file: FileDescriptor
    public let position: Int64
    public let count: Int

    /// The open segment file's descriptor, valid while this value is held. Use it only for positional reads
    /// (`pread`, `sendfile` with an offset), which leave the shared file position alone; never close it.
    public var descriptor: Int32 { file.fd }

    /// Reads the range into memory.
    public func load() throws(LogError) -> [UInt8] {
        let bytes = try file.read(count: count, at: position)
        guard bytes.count == count else {
            throw .corrupt(
                path: file.path, detail: "read \(bytes.count) of \(count) stored bytes at \(position)")
        }
        return bytes
    }
}
