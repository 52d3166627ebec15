import Foundation
import Logging
import Testing

@testable import EddyLog

/// What only the durable log has: files, reopening, crash recovery, the writer lock, other processes.
@Suite struct FileLogTests {
    static func open(_ dir: TemporaryDirectory, policy: FlushPolicy = .os) throws -> FileLog {
        try FileLog(
            directory: dir.path, flushPolicy: policy,
            logger: .init(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static func values(_ records: [ConsumerRecord]) -> [String] {
        records.map { String(decoding: $0.value, as: UTF8.self) }
    }

    @Test(arguments: [FlushPolicy.always, .default, .os]) func reopenKeepsEverything(policy: FlushPolicy)
        throws
    {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var expected: [String: [String]] = [:]
        do {
            let log = try Self.open(dir, policy: policy)
            try log.createTopic("motion", config: TopicConfig(partitions: 2, segmentBytes: 2_000))
            try log.createTopic("sales", config: TopicConfig())
            for i in 0..<200 {
                let meta = try log.append([record("m\(i)", key: "k\(i % 7)")], to: "motion")
                expected["motion-\(meta[0].partition)", default: []].append("m\(i)")
            }
            try log.append([record("s0"), record("s1")], to: TopicPartition("sales", 0))
            try log.consumerGroups.commit(group: "job", offsets: [TopicPartition("motion", 1): 17])
            log.close()
        }
        let log = try Self.open(dir, policy: policy)
        defer { log.close() }
        #expect(try log.topicNames() == ["motion", "sales"])
        #expect(try log.describeTopic("motion").config == TopicConfig(partitions: 2, segmentBytes: 2_000))
        #expect(try log.describeTopic("motion").partitions.allSatisfy { $0.segments > 2 })
        for p in 0..<2 {
            #expect(Self.values(try readAll(log, TopicPartition("motion", p))) == expected["motion-\(p)"])
        }
        #expect(Self.values(try readAll(log, TopicPartition("sales", 0))) == ["s0", "s1"])
        #expect(try log.consumerGroups.committed(group: "job", topic: "motion") == [1: 17])
        // Appends continue at the right offsets.
        let end = try log.offsets(of: TopicPartition("motion", 0)).end
        #expect(try log.append([record("more")], to: TopicPartition("motion", 0)) == end)
    }

    /// Waits (up to 10 s, polling) for the partition's unflushed bytes to drop to `limit` or below.
    static func waitUntilFlushed(_ partition: PartitionLog, to limit: Int) async throws -> Int {
        for _ in 0..<1_000 where partition.unflushedBytes > limit {
            try await Task.sleep(for: .milliseconds(10))
        }
        return partition.unflushedBytes
    }

    /// Under `interval`, the background thread flushes on its timer, rolled segments included.
    @Test func intervalPolicyFlushesOnItsTimer() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try Self.open(dir, policy: .interval(millis: 5, bytes: 1 << 30))
        defer { log.close() }
        try log.createTopic("t", config: TopicConfig(segmentBytes: 3_000))
        let partition = try log.partition(TopicPartition("t", 0))
        for i in 0..<30 { try log.append([record(String(repeating: "f", count: 100) + "\(i)")], to: "t") }
        #expect(try await Self.waitUntilFlushed(partition, to: 0) == 0)
    }

    /// Under `interval`, reaching the byte limit asks the background thread to flush; the appender never
    /// holds more than twice the limit unflushed.
    @Test func intervalPolicyFlushesAtTheByteLimit() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let log = try Self.open(dir, policy: .interval(millis: 3_600_000, bytes: 2_000))
        defer { log.close() }
        try log.createTopic("t", config: TopicConfig(segmentBytes: 3_000))
        let partition = try log.partition(TopicPartition("t", 0))
        for i in 0..<100 {
            try log.append([record(String(repeating: "f", count: 100) + "\(i)")], to: "t")
            #expect(partition.unflushedBytes < 4_000)
        }
        #expect(try await Self.waitUntilFlushed(partition, to: 2_000) < 2_000)
    }

    @Test func sealedSegmentWithoutIndexesIsRescanned() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let log = try Self.open(dir)
            try log.createTopic("t", config: TopicConfig(segmentBytes: 1_000))
            for i in 0..<60 { try log.append([record(String(repeating: "z", count: 90) + "\(i)")], to: "t") }
            log.close()
        }
        let partitionDir = dir.path + "/topics/t/0"
        let indexes = FileSystem.list(partitionDir).filter { $0.hasSuffix("index") }
        #expect(indexes.count > 10)
        for name in indexes.prefix(6) { try FileSystem.remove(partitionDir + "/" + name) }
        // And a damaged one.
        try FileSystem.writeAtomically([1, 2, 3], to: partitionDir + "/" + indexes[8])
        let log = try Self.open(dir)
        defer { log.close() }
        let all = try readAll(log, TopicPartition("t", 0), maxBytes: 1)
        #expect(all.map(\.offset) == Array(0..<60))
        #expect(try log.offset(of: TopicPartition("t", 0), atOrAfter: 0) == 0)
        try log.append([record("x")], to: "t")
        #expect(try log.offsets(of: TopicPartition("t", 0)) == (0, 61))
    }

    @Test func damagedTailOfASealedSegmentIsFoundEvenWithGoodIndexes() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let log = try Self.open(dir, policy: .default)
            try log.createTopic("t", config: TopicConfig(segmentBytes: 1_000))
            for i in 0..<60 { try log.append([record("r\(i)" + String(repeating: "-", count: 90))], to: "t") }
            log.close()
        }
        let partitionDir = dir.path + "/topics/t/0"
        let bases = PartitionLog.segmentBases(in: partitionDir)
        #expect(bases.count > 6)
        let path = partitionDir + "/" + Segment.fileName(bases[3], ".log")
        var bytes = try #require(try FileSystem.readFile(path))
        bytes[bytes.count - 3] ^= 0xFF  // inside the segment's last batch
        try FileSystem.writeAtomically(bytes, to: path)
        let log = try Self.open(dir)
        defer { log.close() }
        let tp = TopicPartition("t", 0)
        let survivors = bases[4] - 1  // every record before the damaged last batch of segment 3
        #expect(try readAll(log, tp).map(\.offset) == Array(0..<survivors))
        #expect(try log.append([record("next")], to: tp) == survivors)
        #expect(PartitionLog.segmentBases(in: partitionDir).count == 4)
        #expect(try readAll(log, tp).count == Int(survivors) + 1)
    }

    /// Builds a one-segment log of small batches; returns the segment file's bytes and, per batch, its end
    /// position and the values it holds.
    static func buildGolden(_ dir: TemporaryDirectory) throws -> (
        file: [UInt8], batches: [(end: Int, values: [String])]
    ) {
        let log = try open(dir)
        try log.createTopic("t", config: TopicConfig())
        var batches: [(end: Int, values: [String])] = []
        for b in 0..<9 {
            let values = (0..<(1 + b % 3)).map { "b\(b)r\($0)" + String(repeating: "!", count: b * 3) }
            try log.append(
                values.map {
                    record($0, key: b % 2 == 0 ? "key\(b)" : nil, headers: b == 4 ? [Header("h", "v")] : [])
                }, to: TopicPartition("t", 0))
            batches.append((Int(try log.describeTopic("t").partitions[0].bytes), values))
        }
        log.close()
        let file = try #require(
            try FileSystem.readFile(dir.path + "/topics/t/0/" + Segment.fileName(0, ".log")))
        #expect(file.count == batches.last!.end)
        return (file, batches)
    }

    /// Reopens after the segment was replaced by `damaged`; checks what survives is exactly `expected`,
    /// that a new append gets the next offset, and that it survives another reopen.
    static func checkRecovery(_ dir: TemporaryDirectory, damaged: [UInt8], expected: [String], label: String)
        throws
    {
        let path = dir.path + "/topics/t/0/" + Segment.fileName(0, ".log")
        try FileSystem.writeAtomically(damaged, to: path)
        let tp = TopicPartition("t", 0)
        do {
            let log = try open(dir)
            // A reader sees the valid prefix without changing the file.
            #expect(values(try readAll(log, tp)) == expected, "\(label): read-only view")
            #expect(
                try FileSystem.readFile(path)?.count == damaged.count, "\(label): a reader must not truncate")
            #expect(try log.append([record("after")], to: tp) == Offset(expected.count), "\(label)")
            log.close()
        }
        let log = try open(dir)
        defer { log.close() }
        #expect(values(try readAll(log, tp)) == expected + ["after"], "\(label): after reopen")
    }

    @Test func recoveryFromTruncationAtEveryByte() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let golden = try Self.buildGolden(dir)
        for cut in 0...golden.file.count {
            let whole = golden.batches.filter { $0.end <= cut }.flatMap(\.values)
            try Self.checkRecovery(
                dir, damaged: Array(golden.file[..<cut]), expected: whole, label: "cut at \(cut)")
        }
    }

    @Test func recoveryFromCorruptionAtEveryByte() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let golden = try Self.buildGolden(dir)
        var start = 0
        for (index, batch) in golden.batches.enumerated() {
            for position in start..<batch.end {
                var damaged = golden.file
                damaged[position] ^= 0x41
                let inBatch = position - start
                // The partition leader epoch is outside the CRC and unused by Eddy: damage there is harmless.
                let harmless = (12..<16).contains(inBatch)
                let expected = golden.batches[..<(harmless ? golden.batches.count : index)].flatMap(\.values)
                try Self.checkRecovery(
                    dir, damaged: damaged, expected: expected, label: "flip at \(position)")
            }
            start = batch.end
        }
        // Garbage appended after the last batch (e.g. a preallocated or half-written tail).
        let all = golden.batches.flatMap(\.values)
        try Self.checkRecovery(
            dir, damaged: golden.file + [UInt8](repeating: 0, count: 100), expected: all, label: "zero tail")
        try Self.checkRecovery(
            dir, damaged: golden.file + Array(golden.file[0..<40]), expected: all, label: "torn copy")
    }

    @Test func damageInActiveSegmentKeepsSealedSegments() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let log = try Self.open(dir, policy: .default)
            try log.createTopic("t", config: TopicConfig(segmentBytes: 1_000))
            for i in 0..<40 { try log.append([record("r\(i)" + String(repeating: ".", count: 80))], to: "t") }
            log.close()
        }
        let partitionDir = dir.path + "/topics/t/0"
        let last = try #require(PartitionLog.segmentBases(in: partitionDir).last)
        let path = partitionDir + "/" + Segment.fileName(last, ".log")
        let bytes = try #require(try FileSystem.readFile(path))
        try FileSystem.writeAtomically(Array(bytes.dropLast(5)), to: path)
        let log = try Self.open(dir)
        defer { log.close() }
        let tp = TopicPartition("t", 0)
        let all = try readAll(log, tp)
        #expect(all.map(\.offset) == Array(0..<39))
        #expect(try log.append([record("next")], to: tp) == 39)
    }

    @Test func secondWriterIsRefusedWithTheHolderPid() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try Self.open(dir)
        try writer.createTopic("t", config: TopicConfig())
        try writer.append([record("a")], to: "t")
        let other = try Self.open(dir)
        // Reading needs no lock.
        #expect(Self.values(try readAll(other, TopicPartition("t", 0))) == ["a"])
        let expected = LogError.locked(path: dir.path + "/topics/t/writer.lock", holder: "pid \(getpid())")
        #expect(throws: expected) { try other.append([record("b")], to: "t") }
        #expect(throws: expected) { try other.deleteTopic("t") }
        #expect(expected.description.contains("pid \(getpid())"))
        // Once the writer is gone, the other process may write.
        writer.close()
        try other.append([record("b")], to: "t")
        #expect(Self.values(try readAll(other, TopicPartition("t", 0))) == ["a", "b"])
        other.close()
    }

    /// The lock really excludes another process: `flock(1)` holds it while this process tries to write.
    @Test func lockHeldByAnotherProcessRefusesWrites() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/flock") else { return }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        do {
            let log = try Self.open(dir)
            try log.createTopic("t", config: TopicConfig())
            log.close()
        }
        let lockPath = dir.path + "/topics/t/writer.lock"
        try FileSystem.writeAtomically(Array("pid 424242\n".utf8), to: lockPath)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["-o", lockPath, "sleep", "20"]  // -o: flock itself holds the lock, not sleep
        try holder.run()
        defer { holder.terminate() }
        // Wait until the child holds the lock.
        let probe = Glibc.open(lockPath, O_RDWR)
        defer { close(probe) }
        var childHolds = false
        for _ in 0..<3_000 where !childHolds {
            if flock(probe, LOCK_EX | LOCK_NB) == 0 {
                flock(probe, LOCK_UN)
                usleep(10_000)
            } else {
                childHolds = true
            }
        }
        try #require(childHolds)
        let log = try Self.open(dir)
        defer { log.close() }
        var refused = false
        do {
            try log.append([record("x")], to: "t")
        } catch LogError.locked(let path, let who) {
            #expect(path == lockPath && who == "pid 424242")
            refused = true
        }
        #expect(refused)
        kill(holder.processIdentifier, SIGKILL)
        // Not waitUntilExit: Foundation would wait for the orphaned `sleep` too.
        for _ in 0..<3_000 {
            if flock(probe, LOCK_EX | LOCK_NB) == 0 {
                flock(probe, LOCK_UN)
                break
            }
            usleep(10_000)
        }
        try log.append([record("x")], to: "t")
        #expect(try log.offsets(of: TopicPartition("t", 0)) == (0, 1))
    }

    /// A second `FileLog` on the same directory stands in for another process reading while one writes.
    @Test func readerInAnotherProcessFollowsTheWriter() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let writer = try Self.open(dir)
        defer { writer.close() }
        try writer.createTopic("t", config: TopicConfig(partitions: 1, segmentBytes: 3_000))
        let reader = try Self.open(dir)
        defer { reader.close() }
        let tp = TopicPartition("t", 0)
        #expect(try reader.offsets(of: tp) == (0, 0))
        let total = 2_000
        let consumer = Task { () -> [Int] in
            var seen: [Int] = []
            var next: Offset = 0
            while seen.count < total {
                let fetched = try reader.read(tp, from: next, maxBytes: 2_000)
                fetched.forEach { view in seen.append(Int(String(decoding: view.value, as: UTF8.self))!) }
                next = fetched.nextOffset
                if fetched.isEmpty {
                    guard await reader.waitForData(tp, beyond: next, timeout: .seconds(10)) else { break }
                }
            }
            return seen
        }
        var n = 0
        while n < total {
            let size = min(1 + n % 13, total - n)
            try writer.append((n..<(n + size)).map { record("\($0)") }, to: tp)
            n += size
            if n % 50 < 13 { try await Task.sleep(for: .milliseconds(1)) }
        }
        #expect(try await consumer.value == Array(0..<total))
        #expect(try reader.describeTopic("t").partitions[0].segments > 3)
        // New topics made by the writer are visible to the reader.
        try writer.createTopic("later", config: TopicConfig())
        #expect(try reader.topicNames() == ["later", "t"])
        // Retention by the writer moves the reader's start.
        try writer.createTopic("r", config: TopicConfig(retentionBytes: 2_000, segmentBytes: 1_000))
        for i in 0..<40 { try writer.append([record("x\(i)" + String(repeating: "x", count: 100))], to: "r") }
        let rp = TopicPartition("r", 0)
        #expect(try reader.offsets(of: rp).end == 40)
        _ = try writer.enforceRetention()
        let writerStart = try writer.offsets(of: rp).start
        #expect(writerStart > 0)
        try await Task.sleep(for: .milliseconds(40))  // the reader lists segment files at most every 20 ms
        #expect(try reader.offsets(of: rp) == (writerStart, 40))
        #expect(try readAll(reader, rp).first?.offset == writerStart)
    }

    @Test func consumerGroupFileIsReplacedAtomically() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileConsumerGroupStore(directory: dir.path + "/groups")
        for i in 0..<20 { try store.commit(group: "g", offsets: [TopicPartition("t", i % 3): Offset(i)]) }
        #expect(try store.committed(group: "g", topic: "t") == [0: 18, 1: 19, 2: 17])
        #expect(FileSystem.list(dir.path + "/groups").filter { $0.contains(".tmp") }.isEmpty)
        let again = try FileConsumerGroupStore(directory: dir.path + "/groups")
        #expect(try again.committed(group: "g", topic: "t") == [0: 18, 1: 19, 2: 17])
        try FileSystem.writeAtomically(Array("t zero 1\n".utf8), to: dir.path + "/groups/g.offsets")
        #expect(throws: LogError.self) { try again.committed(group: "g", topic: "t") }
        for name in ["", ".", "..", "a/b", "ç", "%41"] {
            #expect(FileConsumerGroupStore.decode(FileConsumerGroupStore.encode(name)) == name)
        }
    }
}
