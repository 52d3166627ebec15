#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pipeline's checkpoint folder, `<data-dir>/checkpoints/<pipeline>/`: a base, `checkpoint.bin`, with the
/// whole state, and deltas, `delta-<generation>-<sequence>.bin`, each with the groups changed since the
/// previous checkpoint. Every file is written to a temporary name, fsynced, renamed and the folder fsynced, so
/// a checkpoint exists only once it is complete and durable: a `kill -9` at any moment leaves the previous
/// checkpoint or the new one. Every ``compaction`` limit a new base replaces the chain and the old deltas go.
///
/// ```swift
/// let store = CheckpointStore(dataDirectory: "./eddy-data", pipeline: "retail")
/// try store.reset()   // what `--reset` does
/// ```
public struct CheckpointStore: Sendable {
    public var directory: String
    /// When the next checkpoint is a new base instead of one more delta.
    public var compaction = CompactionPolicy()
    var path: String { directory + "/checkpoint.bin" }

    public init(directory: String) {
        self.directory = directory
    }

    public init(dataDirectory: String, pipeline: String) {
        self.directory = dataDirectory + "/checkpoints/" + pipeline
    }

    func deltaPath(generation: Int64, sequence: Int64) -> String {
        directory + "/delta-\(generation)-\(sequence).bin"
    }

    /// Deletes the checkpoint, so the pipeline starts over. Refused while another process runs the pipeline.
    public func reset() throws(PipelineError) {
        let name = directory.split(separator: "/").last.map(String.init) ?? directory
        let lock = try PipelineLock.acquire(self, pipeline: name)
        defer { lock.release() }
        var names = ["checkpoint.bin", "checkpoint.bin.tmp"]
        names += deltaFiles().map(\.name)
        names += deltaFiles().map { $0.name + ".tmp" }
        for name in names {
            let file = directory + "/" + name
            if unlink(file) != 0 && errno != ENOENT {
                throw .checkpointIO(path: file, operation: "delete", errno: errno)
            }
        }
    }

    /// Whether a checkpoint exists.
    public var exists: Bool { access(path, F_OK) == 0 }

    /// The checkpoint as one full state: the base with its deltas folded in.
    func load() throws(PipelineError) -> Checkpoint? {
        guard let chain = try loadChain() else { return nil }
        return chain.folded()
    }

    /// The base and the deltas that continue it, in order. A delta that is incomplete or unreadable ends the
    /// chain (the checkpoint before it is the last durable one); it, anything after it and deltas of older
    /// bases (left by a crash during compaction) are deleted, so new deltas never mix with them.
    func loadChain() throws(PipelineError) -> CheckpointChain? {
        guard let bytes = try contents(of: path) else { return nil }
        let base: Checkpoint
        do {
            base = try Checkpoint(decoding: bytes)
        } catch {
            throw .checkpointCorrupt(path: path, detail: error.detail)
        }
        var chain = CheckpointChain(base: base, baseBytes: bytes.count)
        var stale: [String] = []
        var next: Int64 = 1
        var broken = false
        for file in deltaFiles().sorted(by: { ($0.generation, $0.sequence) < ($1.generation, $1.sequence) }) {
            let full = directory + "/" + file.name
            guard file.generation == base.generation, !broken, file.sequence == next,
                let data = try contents(of: full),
                let delta = try? Checkpoint(decoding: data),
                delta.generation == base.generation, delta.sequence == next,
                delta.fingerprint == base.fingerprint, delta.outputs.count == base.outputs.count
            else {
                if file.generation == base.generation { broken = true }
                stale.append(full)
                continue
            }
            chain.deltas.append(delta)
            chain.deltaBytes += data.count
            next += 1
        }
        chain.ignored = stale
        for file in stale where unlink(file) != 0 && errno != ENOENT {
            throw .checkpointIO(path: file, operation: "delete", errno: errno)
        }
        if !stale.isEmpty { try syncDirectory() }
        return chain
    }

    /// Writes `checkpoint` (a base or a delta, per its sequence) durably; returns the bytes written. After a
    /// new base, the deltas of older bases are deleted (best effort: a leftover one is ignored and deleted
    /// at the next restore).
    @discardableResult
    func save(_ checkpoint: Checkpoint) throws(PipelineError) -> Int {
        let data = checkpoint.encoded()
        let target =
            checkpoint.isDelta
            ? deltaPath(generation: checkpoint.generation, sequence: checkpoint.sequence) : path
        try makeDirectories(directory)
        try writeDurably(data, to: target)
        if !checkpoint.isDelta {
            for file in deltaFiles() where file.generation != checkpoint.generation {
                unlink(directory + "/" + file.name)
            }
        }
        return data.count
    }

    private func writeDurably(_ data: [UInt8], to target: String) throws(PipelineError) {
        let temporary = target + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .checkpointIO(path: temporary, operation: "create", errno: errno) }
        var failure: PipelineError?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var written = 0
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .checkpointIO(path: temporary, operation: "write", errno: errno)
                    return
                }
                written += n
            }
        }
        if failure == nil && fsync(fd) != 0 {
            failure = .checkpointIO(path: temporary, operation: "fsync", errno: errno)
        }
        close(fd)
        if let failure { throw failure }
        guard rename(temporary, target) == 0 else {
            throw .checkpointIO(path: target, operation: "rename", errno: errno)
        }
        try syncDirectory()
    }

    private func syncDirectory() throws(PipelineError) {
        let dirFD = open(directory, O_RDONLY)
        if dirFD >= 0 {
            defer { close(dirFD) }
            guard fsync(dirFD) == 0 else {
                throw .checkpointIO(path: directory, operation: "fsync", errno: errno)
            }
        }
    }

    /// The whole file, or nil when it does not exist.
    private func contents(of file: String) throws(PipelineError) -> [UInt8]? {
        let fd = open(file, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .checkpointIO(path: file, operation: "open", errno: errno)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .checkpointIO(path: file, operation: "read", errno: errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// The delta files in the folder (`delta-<generation>-<sequence>.bin`), in no particular order.
    func deltaFiles() -> [(name: String, generation: Int64, sequence: Int64)] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var found: [(name: String, generation: Int64, sequence: Int64)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasPrefix("delta-"), name.hasSuffix(".bin") else { continue }
            let parts = name.dropFirst(6).dropLast(4).split(separator: "-")
            guard parts.count == 2, let g = Int64(parts[0]), let s = Int64(parts[1]) else { continue }
            found.append((name, g, s))
        }
        return found
    }

    func makeDirectories(_ path: String) throws(PipelineError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") where !part.isEmpty {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw .checkpointIO(path: current, operation: "create directory", errno: errno)
            }
        }
    }
}

/// When incremental checkpoints are compacted into a new base: after `maxDeltas` deltas, or when the deltas
/// together would exceed `maxDeltaFraction` of the base's size (restore then reads little more than a base).
///
/// ```swift
/// var store = CheckpointStore(dataDirectory: "./eddy-data", pipeline: "retail")
/// store.compaction = CompactionPolicy(maxDeltas: 32, maxDeltaFraction: 0.25)
/// ```
public struct CompactionPolicy: Sendable, Hashable {
    public var maxDeltas: Int
    public var maxDeltaFraction: Double

    public init(maxDeltas: Int = 16, maxDeltaFraction: Double = 0.5) {
        self.maxDeltas = maxDeltas
        self.maxDeltaFraction = maxDeltaFraction
    }
}

/// A base checkpoint and the deltas that continue it, as read from the folder.
struct CheckpointChain {
    var base: Checkpoint
    var deltas: [Checkpoint] = []
    var baseBytes: Int
    var deltaBytes = 0
    /// Delta files that were not part of the chain (torn, out of sequence, of an older base), now deleted.
    var ignored: [String] = []

    /// The newest checkpoint: its offsets and counters are where the pipeline stands.
    var latest: Checkpoint { deltas.last ?? base }

    /// The chain as one full checkpoint (what a restore of base + deltas yields).
    func folded() -> Checkpoint {
        var result = latest
        result.sequence = 0
        for (o, output) in base.outputs.enumerated() {
            guard let start = output.aggregation else { continue }
            var groups: [[Value]: [Accumulator]] = [:]
            var order: [[Value]] = []
            for entry in start.groups where groups.updateValue(entry.accumulators, forKey: entry.key) == nil {
                order.append(entry.key)
            }
            var sessions = Dictionary(
                start.sessions.map { ($0.key, $0.sessions) }, uniquingKeysWith: { a, _ in a })
            var watermark = start.watermark
            for delta in deltas {
                guard let change = delta.outputs[o].aggregation else { continue }
                for key in change.removedGroups { groups[key] = nil }
                for entry in change.groups
                where groups.updateValue(entry.accumulators, forKey: entry.key) == nil {
                    order.append(entry.key)
                }
                for key in change.removedSessions { sessions[key] = nil }
                for entry in change.sessions { sessions[entry.key] = entry.sessions }
                watermark = change.watermark
            }
            var seen = Set<[Value]>()
            let entries = order.compactMap { key -> AggregationOperator.GroupEntry? in
                guard seen.insert(key).inserted, let accumulators = groups[key] else { return nil }
                return AggregationOperator.GroupEntry(key: key, accumulators: accumulators)
            }
            result.outputs[o].aggregation = AggregationOperator.Snapshot(
                groups: entries, sessions: sessions.map { .init(key: $0.key, sessions: $0.value) },
                watermark: watermark)
        }
        return result
    }
}
