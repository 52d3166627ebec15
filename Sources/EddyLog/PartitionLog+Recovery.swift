import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PartitionLog {
    static func segmentBases(in directory: String) -> [Offset] {
        FileSystem.list(directory).compactMap(Segment.baseOffset(ofLogFile:)).sorted()
    }

    /// Opens every segment. Sealed segments trust their indexes when those match the file; otherwise, and
    /// always for the last segment, the batches are scanned and checked. As a writer, the first damaged
    /// segment is truncated to its last whole valid batch and any later segments are deleted (their offsets
    /// would no longer follow on); what is dropped is logged. A reader just stops there.
    static func load(
        directory: String, writer: Bool, policy: FlushPolicy, topicPartition: TopicPartition, logger: Logger
    ) throws(LogError) -> [Segment] {
        let bases = segmentBases(in: directory)
        var segments: [Segment] = []
        for (i, base) in bases.enumerated() {
            let segment: Segment
            do {
                segment = try Segment.open(directory: directory, baseOffset: base, writable: writer)
            } catch .io(_, _, ENOENT) where segments.isEmpty {
                continue  // deleted by the writer's retention since the listing
            }
            let isLast = i == bases.count - 1
            if !isLast && segment.loadSealedIndexes(nextOffset: bases[i + 1]) {
                segments.append(segment)
                continue
            }
            let fileSize = try segment.file.size()
            var stop = try segment.scan(upTo: fileSize)
            if stop == .end && !isLast && segment.nextOffset != bases[i + 1] {
                stop = .corrupt(
                    position: segment.size,
                    detail:
                        "records end at offset \(segment.nextOffset) but the next segment starts at \(bases[i + 1])"
                )
            }
            segments.append(segment)
            if stop == .end {
                if !isLast && writer { try segment.seal(durable: policy != .os) }
                continue
            }
            // Damage (or a torn tail): keep every whole valid batch before it.
            let later = bases[(i + 1)...]
            if writer {
                let reason: String
                switch stop {
                case .incomplete: reason = "an incomplete batch (torn write)"
                case .corrupt(_, let detail): reason = detail
                case .end: reason = ""
                }
                logger.warning(
                    "recovered partition \(topicPartition): truncated segment \(segment.logPath) from \(fileSize) to \(segment.size) bytes (\(fileSize - segment.size) bytes dropped: \(reason)); log ends at offset \(segment.nextOffset)\(later.isEmpty ? "" : "; deleted \(later.count) later segment(s)")"
                )
                try segment.file.truncate(to: segment.size)
                if policy != .os { try segment.file.sync() }
                for laterBase in later {
                    let path = directory + "/" + Segment.fileName(laterBase, "")
                    try FileSystem.remove(path + ".log")
                    try FileSystem.remove(path + ".index")
                    try FileSystem.remove(path + ".timeindex")
                }
                if !later.isEmpty && policy != .os { try FileSystem.syncDirectory(directory) }
            }
            break
        }
        if segments.isEmpty && writer {
            try createFiles(directory: directory, durable: policy != .os)
            segments.append(try Segment.open(directory: directory, baseOffset: 0, writable: true))
        }
        return segments
    }

    /// A reader's catch-up with another process's appends: new whole batches in the active segment, new
    /// segment files, and segments deleted by retention.
    func refresh(_ s: inout State) {
        guard !s.isWriter else { return }
        var grew = false
        if let active = s.segments.last, let fileSize = try? active.file.size(), fileSize > active.size {
            let before = active.size
            _ = try? active.scan(upTo: fileSize)
            grew = active.size > before
        }
        let now = LogClock.monotonicNanos()
        guard !grew, now &- s.lastListingNanos >= Self.listingIntervalNanos else { return }
        s.lastListingNanos = now
        let bases = Self.segmentBases(in: directory)
        let existing = Set(bases)
        while s.segments.count > 1, !existing.contains(s.segments[0].baseOffset) { s.segments.removeFirst() }
        let lastBase = s.segments.last?.baseOffset ?? -1
        for base in bases where base > lastBase {
            // The writer rolled: the previous segment is complete; read its last batches first.
            if let active = s.segments.last {
                if let size = try? active.file.size(), size > active.size { _ = try? active.scan(upTo: size) }
                guard active.nextOffset == base else { break }
            }
            guard let segment = try? Segment.open(directory: directory, baseOffset: base, writable: false),
                let size = try? segment.file.size(), (try? segment.scan(upTo: size)) != nil
            else { break }
            s.segments.append(segment)
        }
    }
}
