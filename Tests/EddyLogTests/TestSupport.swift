import Foundation
import Synchronization
import Testing

@testable import EddyLog

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let millis: Atomic<Int64>

    init(_ start: Int64 = 1_700_000_000_000) {
        millis = Atomic(start)
    }

    var now: Int64 { millis.load(ordering: .relaxed) }
    func advance(by delta: Int64) { millis.add(delta, ordering: .relaxed) }
    var logClock: LogClock { LogClock { [self] in self.now } }
}

/// A fresh, empty directory under the system temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "eddy-log-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The two implementations the shared behavioural suite runs against.
enum LogKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory, file
    var description: String { rawValue }
}

/// A log under test plus what is needed to clean it up and reopen it.
final class LogFixture {
    let kind: LogKind
    let clock: ManualClock
    let directory: TemporaryDirectory?
    var log: any Log

    init(_ kind: LogKind, maxRecordBytes: Int = 1 << 20, flushPolicy: FlushPolicy = .default) throws {
        self.kind = kind
        clock = ManualClock()
        switch kind {
        case .memory:
            directory = nil
            log = MemoryLog(clock: clock.logClock, maxRecordBytes: maxRecordBytes)
        case .file:
            let directory = TemporaryDirectory()
            self.directory = directory
            log = try FileLog(
                directory: directory.path, flushPolicy: flushPolicy, maxRecordBytes: maxRecordBytes,
                clock: clock.logClock)
        }
    }

    func enforceRetention() throws -> Int {
        if let memory = log as? MemoryLog { return memory.enforceRetention() }
        return try (log as! FileLog).enforceRetention()
    }

    @discardableResult
    func setRetention(of topic: String, millis: Int64?, bytes: Int64?) throws -> TopicDescription {
        if let memory = log as? MemoryLog {
            return try memory.setRetention(of: topic, millis: millis, bytes: bytes)
        }
        return try (log as! FileLog).setRetention(of: topic, millis: millis, bytes: bytes)
    }

    /// Closes and reopens a file log on the same directory (a memory log stays as it is).
    func reopen() throws {
        guard let file = log as? FileLog, let directory else { return }
        file.close()
        log = try FileLog(directory: directory.path, flushPolicy: file.flushPolicy, clock: clock.logClock)
    }

    deinit {
        (log as? FileLog)?.close()
        directory?.remove()
    }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

func record(_ value: String, key: String? = nil, timestamp: Int64? = nil, headers: [Header] = [])
    -> ProducerRecord
{
    ProducerRecord(key: key.map(bytes), value: bytes(value), headers: headers, timestamp: timestamp)
}

/// Every record of a partition, read in chunks of `maxBytes`.
func readAll(_ log: any Log, _ tp: TopicPartition, from: Offset = 0, maxBytes: Int = 1 << 20) throws
    -> [ConsumerRecord]
{
    var result: [ConsumerRecord] = []
    var next = from
    while true {
        let fetched = try log.read(tp, from: next, maxBytes: maxBytes)
        if fetched.isEmpty { break }
        result += fetched.records()
        next = fetched.nextOffset
    }
    return result
}
