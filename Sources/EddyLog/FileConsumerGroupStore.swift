import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Committed consumer-group offsets in files, one per group: the ``ConsumerGroupStore`` of ``FileLog``.
///
/// Each group's file (`<directory>/<group, percent-encoded>.offsets`) is a small text file,
/// `topic partition offset` per line, replaced atomically on every commit (temporary file, `fsync`,
/// `rename`, `fsync` of the directory), so a crash leaves the previous or the new commit, never a mix.
/// Commits from several processes serialize on an `flock` of `<directory>/.lock`.
///
/// ```swift
/// try log.consumerGroups.commit(group: "retail", offsets: [TopicPartition("motion", 0): 42])
/// let next = try log.consumerGroups.committed(group: "retail", topic: "motion")[0]  // 42
/// ```
public final class FileConsumerGroupStore: ConsumerGroupStore {
    public let directory: String
    private let inProcess = Mutex(())
    static let fileHeader = "# eddy consumer-group offsets v1: topic partition next-offset"

    public init(directory: String) throws(LogError) {
        self.directory = directory
        try FileSystem.makeDirectories(directory)
    }

    public func commit(group: String, offsets: [TopicPartition: Offset]) throws(LogError) {
        try inProcess.withLock { (_) throws(LogError) in
            let lock = try FileDescriptor(path: directory + "/.lock", flags: O_RDWR | O_CREAT)
            while flock(lock.fd, LOCK_EX) != 0 {
                if errno != EINTR { throw .io(path: lock.path, operation: "lock", errno: errno) }
            }
            var all = try load(group)
            all.merge(offsets) { _, new in new }
            var text = Self.fileHeader + "\n"
            for (tp, offset) in all.sorted(by: {
                ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition)
            }) {
                text += "\(tp.topic) \(tp.partition) \(offset)\n"
            }
            try FileSystem.writeAtomically(Array(text.utf8), to: path(of: group))
            // Closing `lock` releases the flock.
        }
    }

    public func committed(group: String, topic: String) throws(LogError) -> [Int: Offset] {
        var result: [Int: Offset] = [:]
        for (tp, offset) in try load(group) where tp.topic == topic { result[tp.partition] = offset }
        return result
    }

    public func groups() throws(LogError) -> [String] {
        FileSystem.list(directory).compactMap { name -> String? in
            guard name.hasSuffix(".offsets") else { return nil }
            return Self.decode(String(name.dropLast(".offsets".count)))
        }.sorted()
    }

    private func path(of group: String) -> String {
        directory + "/" + Self.encode(group) + ".offsets"
    }

    private func load(_ group: String) throws(LogError) -> [TopicPartition: Offset] {
        let path = path(of: group)
        guard let bytes = try FileSystem.readFile(path) else { return [:] }
        var result: [TopicPartition: Offset] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let partition = Int(fields[1]), let offset = Offset(fields[2]),
                partition >= 0
            else {
                throw .corrupt(
                    path: path, detail: "unreadable line '\(line)'; delete the file to forget the group")
            }
            result[TopicPartition(String(fields[0]), partition)] = offset
        }
        return result
    }

    /// Group names are free text; file names keep `[A-Za-z0-9_-]` and percent-encode every other byte.
    static func encode(_ group: String) -> String {
        var out = ""
        for byte in group.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out.isEmpty ? "%" : out
    }

    static func decode(_ name: String) -> String? {
        if name == "%" { return "" }
        var bytes: [UInt8] = []
        var utf8 = Array(name.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard utf8.count >= 2,
                    let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
