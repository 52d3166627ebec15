import EddyLog

/// Reads a topic's partitions (all or an assigned subset) from per-partition positions, a bounded number of
/// bytes at a time. The positions are what checkpoints store.
final class SourceReader {
    let log: any Log
    let topic: String
    let partitions: [Int]
    let fetchBytes: Int
    /// Next offset to read, per partition.
    var next: [Int: Offset] = [:]
    /// End offset seen at the last read or snapshot, per partition (for lag).
    var ends: [Int: Offset] = [:]

    init(log: any Log, topic: String, partitions: [Int]?, fetchBytes: Int) throws(PipelineError) {
        self.log = log
        self.topic = topic
        self.fetchBytes = fetchBytes
        let description: TopicDescription
        do {
            description = try log.describeTopic(topic)
        } catch {
            throw .log(error)
        }
        let all = description.partitions.map(\.partition).sorted()
        if let partitions {
            for p in partitions where !all.contains(p) {
                throw .log(.partitionNotFound(TopicPartition(topic, p), partitions: all.count))
            }
            self.partitions = partitions.sorted()
        } else {
            self.partitions = all
        }
    }

    /// Sets every partition's position from `starting` (used when there is no checkpoint).
    func start(at starting: StartingOffsets, group: String) throws(PipelineError) {
        do {
            var committed: [Int: Offset] = [:]
            if case .committed(let name) = starting {
                committed = try log.consumerGroups.committed(group: name ?? group, topic: topic)
            }
            for p in partitions {
                let bounds = try log.offsets(of: TopicPartition(topic, p))
                switch starting {
                case .earliest: next[p] = bounds.start
                case .latest: next[p] = bounds.end
                case .committed:
                    next[p] = committed[p].map { min(max($0, bounds.start), bounds.end) } ?? bounds.start
                case .offsets(let given):
                    next[p] = given[p].map { min(max($0, bounds.start), bounds.end) } ?? bounds.start
                }
                ends[p] = bounds.end
            }
        } catch {
            throw .log(error)
        }
    }

    /// The current end offset of every partition.
    func snapshotEnds() throws(PipelineError) -> [Int: Offset] {
        var result: [Int: Offset] = [:]
        do {
            for p in partitions { result[p] = try log.offsets(of: TopicPartition(topic, p)).end }
        } catch {
            throw .log(error)
        }
        for (p, end) in result { ends[p] = end }
        return result
    }

    /// One read of partition `p` from its position; nil when nothing is there.
    func fetch(_ p: Int) throws(PipelineError) -> FetchedRecords? {
        let position = next[p] ?? 0
        let fetched: FetchedRecords
        do {
            fetched = try log.read(TopicPartition(topic, p), from: position, maxBytes: fetchBytes)
        } catch .offsetOutOfRange(_, _, let start, _) where position < start {
            // Retention removed what we had not read yet: continue from the oldest retained record.
            next[p] = start
            return try fetch(p)
        } catch {
            throw .log(error)
        }
        ends[p] = fetched.highWatermark
        if fetched.isEmpty {
            if fetched.requestedOffset < fetched.logStartOffset { next[p] = fetched.logStartOffset }
            return nil
        }
        return fetched
    }

    var offsets: SourceOffsets {
        var result: SourceOffsets = [:]
        for (p, offset) in next { result[TopicPartition(topic, p)] = offset }
        return result
    }

    var lag: [Int: Int64] {
        var result: [Int: Int64] = [:]
        for p in partitions { result[p] = max(0, (ends[p] ?? 0) - (next[p] ?? 0)) }
        return result
    }
}
