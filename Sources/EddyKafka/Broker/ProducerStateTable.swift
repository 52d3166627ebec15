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
/// The state lives in memory: after a broker restart the first batch of each producer is accepted as
/// it comes (no duplicate detection across restarts).
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
}
