import Synchronization
import Testing

@testable import EddyLog

/// The behaviour every ``Log`` must have, run against ``MemoryLog`` and ``FileLog`` alike.
@Suite struct LogBehaviourTests {
    @Test(arguments: LogKind.allCases) func topicsLifecycle(kind: LogKind) throws {
        let f = try LogFixture(kind)
        let log = f.log
        #expect(try log.topicNames() == [])
        let description = try log.createTopic("motion", config: TopicConfig(partitions: 3))
        #expect(description.partitions.map(\.partition) == [0, 1, 2])
        #expect(description.partitions.allSatisfy { $0.startOffset == 0 && $0.endOffset == 0 })
        try log.createTopic("ecommerce_sales", config: TopicConfig())
        #expect(try log.topicNames() == ["ecommerce_sales", "motion"])
        #expect(throws: LogError.topicAlreadyExists("motion")) {
            try log.createTopic("motion", config: TopicConfig(partitions: 1))
        }
        #expect(throws: LogError.invalidPartitionCount(0)) {
            try log.createTopic("x", config: TopicConfig(partitions: 0))
        }
        #expect(throws: LogError.invalidPartitionCount(-2)) {
            try log.createTopic("x", config: TopicConfig(partitions: -2))
        }
        #expect {
            try log.createTopic("bad/name", config: TopicConfig())
        } throws: { error in
            if case LogError.invalidTopicName("bad/name", _) = error { return true } else { return false }
        }
        #expect(try log.describeTopic("motion").config.partitions == 3)
        try log.deleteTopic("motion")
        #expect(try log.topicNames() == ["ecommerce_sales"])
        #expect(throws: LogError.topicNotFound("motion")) { try log.describeTopic("motion") }
        #expect(throws: LogError.topicNotFound("motion")) { try log.deleteTopic("motion") }
        #expect(throws: LogError.topicNotFound("nope")) { try log.append([record("x")], to: "nope") }
        // A deleted topic can be created again, empty.
        try log.createTopic("motion", config: TopicConfig(partitions: 1))
        #expect(try log.offsets(of: TopicPartition("motion", 0)) == (0, 0))
    }

    @Test(arguments: LogKind.allCases) func appendAndReadBack(kind: LogKind) throws {
        let f = try LogFixture(kind)
        let log = f.log
        let tp = TopicPartition("t", 0)
        try log.createTopic("t", config: TopicConfig())
        #expect(try log.append([record("a", key: "k1"), record("b")], to: tp) == 0)
        #expect(try log.append([record("c", timestamp: 42, headers: [Header("h", "v")])], to: tp) == 2)
        #expect(try log.append([], to: tp) == 3)
        let all = try readAll(log, tp)
        #expect(all.map(\.offset) == [0, 1, 2])
        #expect(all.map { String(decoding: $0.value, as: UTF8.self) } == ["a", "b", "c"])
        #expect(all[0].key == bytes("k1"))
        #expect(all[1].key == nil)
        #expect(all[0].timestamp == f.clock.now)
        #expect(all[2].timestamp == 42)
        #expect(all[2].headers == [Header("h", "v")])
        #expect(try log.offsets(of: tp) == (0, 3))
        // From the middle of a batch: the batch comes whole, forEach skips what is below.
        let middle = try log.read(tp, from: 1, maxBytes: 1 << 20)
        #expect(middle.requestedOffset == 1 && middle.nextOffset == 3 && middle.highWatermark == 3)
        #expect(middle.records().map(\.offset) == [1, 2])
        // At the end: empty; past it: out of range.
        let atEnd = try log.read(tp, from: 3, maxBytes: 1 << 20)
        #expect(atEnd.isEmpty && atEnd.batches.isEmpty && atEnd.nextOffset == 3)
        #expect(throws: LogError.offsetOutOfRange(tp, requested: 4, start: 0, end: 3)) {
            try log.read(tp, from: 4, maxBytes: 100)
        }
        #expect(throws: LogError.partitionNotFound(TopicPartition("t", 1), partitions: 1)) {
            try log.read(TopicPartition("t", 1), from: 0, maxBytes: 100)
        }
    }

    @Test(arguments: LogKind.allCases) func maxBytesReturnsWholeBatchesAndAtLeastOne(kind: LogKind) throws {
        let f = try LogFixture(kind)
        let log = f.log
        let tp = TopicPartition("t", 0)
        try log.createTopic("t", config: TopicConfig())
        for i in 0..<20 { try log.append((0..<5).map { record("r\(i)-\($0)") }, to: tp) }
        let one = try log.read(tp, from: 0, maxBytes: 1)
        #expect(one.records().map(\.offset) == Array(0..<5))
        #expect(one.nextOffset == 5)
        let some = try log.read(tp, from: 12, maxBytes: 400)
        #expect(some.nextOffset > 15 && some.nextOffset < 100)
        #expect(some.batches.count <= max(400, 1))
        #expect(try readAll(log, tp, maxBytes: 300).map(\.offset) == Array(0..<100))
        #expect(try readAll(log, tp, from: 37, maxBytes: 1).map(\.offset) == Array(37..<100))
    }

    @Test(arguments: LogKind.allCases) func keyedRecordsLandWhereKafkaPutsThem(kind: LogKind) throws {
        let f = try LogFixture(kind)
        let log = f.log
        try log.createTopic("motion", config: TopicConfig(partitions: 3))
        let keys = ["Caixa", "Entrada", "Corredor_A", "Caixa", "SM-123AB", "Entrada", "Caixa"]
        let meta = try log.append(
            keys.enumerated().map { record("\($0.offset)", key: $0.element) }, to: "motion")
        #expect(meta.count == keys.count)
        for (i, m) in meta.enumerated() {
            #expect(m.partition == Partitioner.partition(forKey: bytes(keys[i]), partitions: 3))
        }
        // Per partition, offsets are dense and follow the call order.
        for p in 0..<3 {
            let read = try readAll(log, TopicPartition("motion", p))
            let expected = meta.enumerated().filter { $0.element.partition == p }
            #expect(read.map(\.offset) == expected.map(\.element.offset))
            #expect(read.map { String(decoding: $0.value, as: UTF8.self) } == expected.map { "\($0.offset)" })
            #expect(read.map(\.offset) == Array(0..<Int64(read.count)))
        }
        // Keyless: each call's records stay together; calls spread over the partitions.
        var used = Set<Int>()
        for _ in 0..<3 {
            let m = try log.append([record("x"), record("y")], to: "motion")
            #expect(m[0].partition == m[1].partition && m[1].offset == m[0].offset + 1)
            used.insert(m[0].partition)
        }
        #expect(used == [0, 1, 2])
    }

    @Test(arguments: LogKind.allCases) func recordSizeLimit(kind: LogKind) throws {
        let f = try LogFixture(kind, maxRecordBytes: 100)
        let log = f.log
        try log.createTopic("t", config: TopicConfig())
        try log.append(
            [ProducerRecord(key: Array(repeating: 1, count: 50), value: Array(repeating: 2, count: 50))],
            to: "t")
        #expect(throws: LogError.recordTooLarge(size: 101, max: 100)) {
            try log.append([record("ok"), ProducerRecord(value: Array(repeating: 2, count: 101))], to: "t")
        }
        // Nothing of the rejected call was appended.
        #expect(try log.offsets(of: TopicPartition("t", 0)) == (0, 1))
    }

    @Test(arguments: LogKind.allCases) func offsetForTimestamp(kind: LogKind) throws {
        let f = try LogFixture(kind)
        let log = f.log
        let tp = TopicPartition("t", 0)
        try log.createTopic("t", config: TopicConfig(segmentBytes: 2_000))
        // 300 records, timestamps 1000, 1010, ... with one out-of-order record.
        for batch in 0..<30 {
            try log.append(
                (0..<10).map { i in
                    let n = batch * 10 + i
                    return record(
                        String(repeating: "v", count: 40), timestamp: n == 155 ? 500 : 1_000 + Int64(n) * 10)
                }, to: tp)
        }
        #expect(try log.describeTopic("t").partitions[0].segments > 3)
        #expect(try log.offset(of: tp, atOrAfter: 0) == 0)
        #expect(try log.offset(of: tp, atOrAfter: 1_000) == 0)
        #expect(try log.offset(of: tp, atOrAfter: 1_001) == 1)
        #expect(try log.offset(of: tp, atOrAfter: 1_500) == 50)
        #expect(try log.offset(of: tp, atOrAfter: 2_550) == 156)  // 155 has an old timestamp
        #expect(try log.offset(of: tp, atOrAfter: 3_990) == 299)
        #expect(try log.offset(of: tp, atOrAfter: 3_991) == 300)  // none: the end offset
        for target in stride(from: Int64(990), through: 4_000, by: 7) {
            let all = try readAll(log, tp)
            let expected = all.first { $0.timestamp >= target }?.offset ?? 300
            #expect(try log.offset(of: tp, atOrAfter: target) == expected, "timestamp \(target)")
        }
    }

    @Test(arguments: LogKind.allCases) func segmentsRoll(kind: LogKind) throws {
        let f = try LogFixture(kind)
        let log = f.log
        let tp = TopicPartition("t", 0)
        try log.createTopic("t", config: TopicConfig(segmentBytes: 1_000))
        for i in 0..<50 { try log.append([record(String(repeating: "x", count: 100) + "\(i)")], to: tp) }
        let description = try log.describeTopic("t").partitions[0]
        // ~180-byte batches, at most 5 per 1000-byte segment.
        #expect(description.segments >= 10)
        #expect(description.endOffset == 50)
        #expect(try readAll(log, tp).map(\.offset) == Array(0..<50))
        #expect(try readAll(log, tp, maxBytes: 1).map(\.offset) == Array(0..<50))
        // A batch bigger than a segment gets a segment of its own.
        try log.append([ProducerRecord(value: Array(repeating: 7, count: 5_000))], to: tp)
        #expect(try readAll(log, tp, from: 50).map(\.value.count) == [5_000])
    }

    @Test(arguments: LogKind.allCases) func retentionBySize(kind: LogKind) throws {
        let f = try LogFixture(kind)
        let log = f.log
        let tp = TopicPartition("t", 0)
        try log.createTopic("t", config: TopicConfig(retentionBytes: 3_000, segmentBytes: 1_000))
        for i in 0..<100 { try log.append([record(String(repeating: "x", count: 100) + "\(i)")], to: tp) }
        _ = try f.enforceRetention()
        let p = try log.describeTopic("t").partitions[0]
        #expect(p.bytes >= 3_000 && p.bytes < 4_200)
        #expect(p.startOffset > 0 && p.endOffset == 100)
        let (start, end) = try log.offsets(of: tp)
        #expect(start == p.startOffset && end == 100)
        #expect(try readAll(log, tp).map(\.offset) == Array(start..<100))
        // Reading below the start begins at the start.
        let below = try log.read(tp, from: 0, maxBytes: 1 << 20)
        #expect(below.logStartOffset == start && below.records().first?.offset == start)
    }

    @Test(arguments: LogKind.allCases) func retentionByAge(kind: LogKind) throws {
        let f = try LogFixture(kind)
        let log = f.log
        let tp = TopicPartition("t", 0)
        try log.createTopic("t", config: TopicConfig(retentionMillis: 60_000, segmentBytes: 1_000))
        for i in 0..<30 { try log.append([record(String(repeating: "x", count: 100) + "\(i)")], to: tp) }
        f.clock.advance(by: 50_000)
        for i in 30..<60 { try log.append([record(String(repeating: "y", count: 100) + "\(i)")], to: tp) }
        f.clock.advance(by: 20_000)  // the first 30 records are now 70 s old, the rest 20 s
        _ = try f.enforceRetention()
        let (start, end) = try log.offsets(of: tp)
        #expect(start >= 25 && start <= 30)
        #expect(end == 60)
        #expect(try readAll(log, tp).first?.offset == start)
        // Everything expired: the partition is empty but keeps its offsets.
        f.clock.advance(by: 100_000)
        _ = try f.enforceRetention()
        #expect(try log.offsets(of: tp) == (60, 60))
        #expect(try log.append([record("new")], to: tp) == 60)
        #expect(try readAll(log, tp, from: 0).map(\.offset) == [60])
    }

    @Test(arguments: LogKind.allCases) func retentionCanBeChangedLater(kind: LogKind) throws {
        let f = try LogFixture(kind)
        let tp = TopicPartition("t", 0)
        try f.log.createTopic("t", config: TopicConfig(segmentBytes: 1_000))
        for i in 0..<100 { try f.log.append([record(String(repeating: "x", count: 100) + "\(i)")], to: tp) }
        #expect(try f.log.offsets(of: tp).start == 0)
        let described = try f.setRetention(of: "t", millis: nil, bytes: 3_000)
        #expect(described.config.retentionBytes == 3_000)
        let start = try f.log.offsets(of: tp).start
        #expect(start > 0)
        try f.reopen()
        #expect(
            try f.log.describeTopic("t").config == TopicConfig(retentionBytes: 3_000, segmentBytes: 1_000))
        #expect(try f.log.offsets(of: tp) == (start, 100))
        // Retention also runs as segments roll.
        for i in 100..<200 { try f.log.append([record(String(repeating: "y", count: 100) + "\(i)")], to: tp) }
        #expect(try f.log.offsets(of: tp).start > start)
        #expect(try f.log.describeTopic("t").partitions[0].bytes < 4_500)
        try f.setRetention(of: "t", millis: -1, bytes: nil)
        #expect(try f.log.describeTopic("t").config == TopicConfig(segmentBytes: 1_000))
    }

    @Test(arguments: LogKind.allCases) func consumerGroups(kind: LogKind) throws {
        let f = try LogFixture(kind)
        let groups = f.log.consumerGroups
        #expect(try groups.groups() == [])
        #expect(try groups.committed(group: "g", topic: "motion") == [:])
        try groups.commit(
            group: "retail job", offsets: [TopicPartition("motion", 0): 10, TopicPartition("motion", 2): 5])
        try groups.commit(
            group: "retail job", offsets: [TopicPartition("motion", 0): 12, TopicPartition("other", 0): 1])
        try groups.commit(group: "g/ç", offsets: [TopicPartition("motion", 1): 3])
        #expect(try groups.committed(group: "retail job", topic: "motion") == [0: 12, 2: 5])
        #expect(try groups.committed(group: "retail job", topic: "other") == [0: 1])
        #expect(try groups.committed(group: "g/ç", topic: "motion") == [1: 3])
        #expect(try groups.groups() == ["g/ç", "retail job"])
    }

    @Test(arguments: LogKind.allCases) func waitForDataWakesOnAppend(kind: LogKind) async throws {
        let f = try LogFixture(kind)
        let log = f.log
        let tp = TopicPartition("t", 0)
        try log.createTopic("t", config: TopicConfig())
        #expect(await log.waitForData(tp, beyond: 0, timeout: .milliseconds(1)) == false)
        try log.append([record("a")], to: tp)
        #expect(await log.waitForData(tp, beyond: 0, timeout: .seconds(10)))
        #expect(await log.waitForData(tp, beyond: 1, timeout: .milliseconds(1)) == false)
        async let woken = log.waitForData(tp, beyond: 1, timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(20))
        try log.append([record("b")], to: tp)
        #expect(await woken)
    }

    /// A reader following the tail while a writer appends sees every record, in order, exactly once.
    @Test(arguments: LogKind.allCases) func readerFollowsTheTail(kind: LogKind) async throws {
        let f = try LogFixture(kind)
        let log = f.log
        let tp = TopicPartition("t", 0)
        try log.createTopic("t", config: TopicConfig(segmentBytes: 20_000))
        let total = 5_000
        let reader = Task { [log] () -> [Int] in
            var seen: [Int] = []
            var next: Offset = 0
            while seen.count < total {
                let fetched = try log.read(tp, from: next, maxBytes: 3_000)
                fetched.forEach { view in
                    seen.append(Int(String(decoding: view.value, as: UTF8.self))!)
                    #expect(view.offset == Offset(seen.count - 1))
                }
                next = fetched.nextOffset
                if fetched.isEmpty { _ = await log.waitForData(tp, beyond: next, timeout: .seconds(5)) }
            }
            return seen
        }
        let writer = Task.detached { [log] in
            var n = 0
            while n < total {
                let size = min(1 + n % 17, total - n)
                try log.append((n..<(n + size)).map { record("\($0)") }, to: tp)
                n += size
                if n % 100 < 17 { await Task.yield() }
            }
        }
        try await writer.value
        let seen = try await reader.value
        #expect(seen == Array(0..<total))
    }

    /// Several writers on one topic at once: every record lands exactly once, and each key's records keep
    /// the order their writer appended them in.
    @Test(arguments: LogKind.allCases) func concurrentWritersKeepPerKeyOrder(kind: LogKind) async throws {
        let f = try LogFixture(kind)
        let log = f.log
        try log.createTopic("t", config: TopicConfig(partitions: 3, segmentBytes: 4_000))
        let writers = 4
        let perWriter = 600
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask { [log] in
                    var i = 0
                    while i < perWriter {
                        let n = min(1 + i % 7, perWriter - i)
                        try log.append(
                            (i..<(i + n)).map { record("\(w):\($0)", key: "writer-\(w)-\($0 % 5)") }, to: "t")
                        i += n
                    }
                }
            }
            try await group.waitForAll()
        }
        var seen: [String: [Int]] = [:]
        var count = 0
        for p in 0..<3 {
            let records = try readAll(log, TopicPartition("t", p), maxBytes: 700)
            #expect(records.map(\.offset) == Array(0..<Int64(records.count)))
            for r in records {
                let parts = String(decoding: r.value, as: UTF8.self).split(separator: ":")
                let key = String(decoding: r.key!, as: UTF8.self)
                #expect(Partitioner.partition(forKey: r.key!, partitions: 3) == p)
                seen[key, default: []].append(Int(parts[1])!)
                count += 1
            }
        }
        #expect(count == writers * perWriter)
        for (key, sequence) in seen {
            #expect(sequence == sequence.sorted(), "order of \(key)")
        }
    }

    @Test(arguments: LogKind.allCases) func cancelledWaitReturnsPromptly(kind: LogKind) async throws {
        let f = try LogFixture(kind)
        let log = f.log
        try log.createTopic("t", config: TopicConfig())
        let waiter = Task { [log] in
            await log.waitForData(TopicPartition("t", 0), beyond: 0, timeout: .seconds(600))
        }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        #expect(await waiter.value == false)
        #expect(
            await log.waitForData(TopicPartition("nope", 0), beyond: 0, timeout: .milliseconds(30)) == false)
        // A topic created during the wait is found.
        async let later = log.waitForData(TopicPartition("later", 0), beyond: 0, timeout: .seconds(60))
        try await Task.sleep(for: .milliseconds(30))
        try log.createTopic("later", config: TopicConfig())
        try log.append([record("x")], to: "later")
        #expect(await later)
    }
}
