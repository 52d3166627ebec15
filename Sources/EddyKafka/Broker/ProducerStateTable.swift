import EddyLog
import Synchronization

/// Idempotent-producer state: producer ids handed out by InitProducerId, and per producer and partition
/// the epoch and the last five batches' sequence ranges with their offsets (Kafka keeps five too, as a
/// producer has at most five batches in flight).
///
/// A batch whose sequence range matches a remembered one is a retry: it is acknowledged with the offset
/// it got the first time and not stored again. A batch that skips sequences is OUT_OF_ORDER_SEQUENCE_NUMBER;
/// an older epoch is INVALID_PRODUCER_EPOCH. The check and the append happen under one lock, so two
/// connections retrying the same batch cannot both store it.
///
/// The state lives in memory and is rebuilt from the log, as Kafka rebuilds it: the first time a
/// partition sees an idempotent batch after the broker started, its stored batches' producer id, epoch,
/// sequence and base offset fields are read back (headers only), so a batch a producer retries across a
/// broker restart is still acknowledged once and stored once. That first scan reads the whole partition
/// once; later appends cost nothing extra.
final class ProducerStateTable: Sendable {
    struct BatchRange {
        var firstSequence: Int32
        var lastSequence: Int32
        var baseOffset: Offset
    }

    struct PartitionState {
        var epoch: Int16
        var recent: [BatchRange] = []
    }

    struct Key: Hashable {
        var producerId: Int64
        var topicPartition: TopicPartition
    }

    private struct State {
        var nextProducerId: Int64
        var partitions: [Key: PartitionState] = [:]
        /// Partitions whose stored batches were scanned for producer state since the broker started.
        var recovered: Set<TopicPartition> = []
    }

    private let state: Mutex<State>

    init() {
        // Ids from the clock, so a restarted broker does not hand out an id a live producer still uses.
        state = Mutex(State(nextProducerId: Int64(LogClock.system.now()) * 1000))
    }

    func newProducerId() -> Int64 {
        state.withLock { s in
            defer { s.nextProducerId += 1 }
            return s.nextProducerId
        }
    }

    struct AppendResult {
        var baseOffset: Offset
        var error: ErrorCode
    }

    /// Appends `bytes` (one or more client batches) to `tp`, deduplicating an idempotent producer's retries.
    func append(_ bytes: UnsafeRawBufferPointer, to tp: TopicPartition, log: any Log) throws(LogError)
        -> AppendResult
    {
        let batches = RecordBatch.producerInfo(bytes)
        guard let first = batches.first, first.producerId >= 0 else {
            return AppendResult(baseOffset: try log.appendBatches(bytes, to: tp).baseOffset, error: .none)
        }
        let key = Key(producerId: first.producerId, topicPartition: tp)
        let count = batches.reduce(Int32(0)) { $0 &+ $1.recordCount }
        let firstSequence = first.baseSequence
        let lastSequence = firstSequence &+ count &- 1
        return try state.withLock { (s) throws(LogError) -> AppendResult in
            if !s.recovered.contains(tp) {
                try Self.recover(tp, from: log, into: &s.partitions)
                s.recovered.insert(tp)
            }
            var partition = s.partitions[key] ?? PartitionState(epoch: first.producerEpoch)
            if first.producerEpoch < partition.epoch {
                return AppendResult(baseOffset: -1, error: .invalidProducerEpoch)
            }
            if first.producerEpoch > partition.epoch {
                partition = PartitionState(epoch: first.producerEpoch)
            }
            if let seen = partition.recent.first(where: {
                $0.firstSequence == firstSequence && $0.lastSequence == lastSequence
            }) {
                return AppendResult(baseOffset: seen.baseOffset, error: .none)
            }
            if let last = partition.recent.last, firstSequence != last.lastSequence &+ 1,
                !(last.lastSequence == Int32.max && firstSequence == 0)
            {
                return AppendResult(baseOffset: -1, error: .outOfOrderSequenceNumber)
            }
            let appended = try log.appendBatches(bytes, to: tp)
            partition.recent.append(
                BatchRange(
                    firstSequence: firstSequence, lastSequence: lastSequence, baseOffset: appended.baseOffset)
            )
            if partition.recent.count > 5 { partition.recent.removeFirst() }
            s.partitions[key] = partition
            return AppendResult(baseOffset: appended.baseOffset, error: .none)
        }
    }

    /// Reads every stored batch of `tp` and remembers, per producer, the last five batches of its latest
    /// epoch: what the in-memory table held before a restart.
    static func recover(
        _ tp: TopicPartition, from log: any Log, into partitions: inout [Key: PartitionState]
    ) throws(LogError) {
        var (offset, end) = try log.offsets(of: tp)
        while offset < end {
            let fetched = try log.read(tp, from: offset, maxBytes: 8 << 20)
            guard fetched.nextOffset > offset else { break }
            end = fetched.highWatermark
            fetched.batches.withUnsafeBytes { bytes in
                for info in RecordBatch.producerInfo(bytes) where info.producerId >= 0 && info.recordCount > 0
                {
                    let key = Key(producerId: info.producerId, topicPartition: tp)
                    var state = partitions[key] ?? PartitionState(epoch: info.producerEpoch)
                    if info.producerEpoch < state.epoch { continue }
                    if info.producerEpoch > state.epoch { state = PartitionState(epoch: info.producerEpoch) }
                    // A read may start at a batch already seen (the one holding the requested offset).
                    if let last = state.recent.last, last.baseOffset >= info.baseOffset { continue }
                    state.recent.append(
                        BatchRange(
                            firstSequence: info.baseSequence,
                            lastSequence: info.baseSequence &+ info.recordCount &- 1,
                            baseOffset: info.baseOffset))
                    if state.recent.count > 5 { state.recent.removeFirst() }
                    partitions[key] = state
                }
            }
            offset = fetched.nextOffset
        }
    }
}
