import EddyLog
import NIOCore

extension KafkaBroker {
    /// Reads every requested partition; while fewer than `minBytes` came back and `maxWaitMs` has not
    /// passed, suspends until one of the partitions grows (the log's append notification), then reads
    /// again. The stored batches go into the response as they are: as ranges of their segment files, which
    /// the response refers to (``FetchResponse/Partition/externalRecords``) and the connection sends with
    /// `sendfile(2)`.
    func fetch(_ request: FetchRequest, version: Int16) async -> (FetchResponse, [StoredFileRange]) {
        let deadline = ContinuousClock.now + .milliseconds(max(0, Int(request.maxWaitMs)))
        while true {
            let (response, stored, bytes, ends) = read(request)
            if request.minBytes <= 0 || bytes >= Int(request.minBytes) { return (response, stored) }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero || Task.isCancelled || ends.isEmpty { return (response, stored) }
            // Wait beyond what is there now: data below the end was too little to answer with.
            await waitForAny(ends, timeout: remaining)
            if ContinuousClock.now >= deadline {
                let (response, stored, _, _) = read(request)
                return (response, stored)
            }
        }
    }

    /// Suspends until any of the partitions has data beyond its offset, or `timeout` passes.
    private func waitForAny(_ offsets: [TopicPartition: Offset], timeout: Duration) async {
        await withTaskGroup(of: Bool.self) { group in
            for (tp, offset) in offsets {
                group.addTask { await self.log.waitForData(tp, beyond: offset, timeout: timeout) }
            }
            for await arrived in group where arrived {
                group.cancelAll()
                return
            }
        }
    }

    private func read(_ request: FetchRequest) -> (
        response: FetchResponse, stored: [StoredFileRange], bytes: Int, ends: [TopicPartition: Offset]
    ) {
        var ends: [TopicPartition: Offset] = [:]
        var stored: [StoredFileRange] = []
        var response = FetchResponse()
        var budget = max(Int(request.maxBytes), 0)
        var total = 0
        for topic in request.topics {
            var topicResponse = FetchResponse.Topic()
            topicResponse.topic = topic.topic
            for requested in topic.partitions {
                var partition = FetchResponse.Partition()
                partition.partitionIndex = requested.partition
                partition.abortedTransactions = nil
                let tp = TopicPartition(topic.topic, Int(requested.partition))
                do {
                    let (start, end) = try log.offsets(of: tp)
                    partition.highWatermark = end
                    partition.lastStableOffset = end
                    partition.logStartOffset = start
                    ends[tp] = max(end, requested.fetchOffset)
                    if requested.fetchOffset < start || requested.fetchOffset > end {
                        throw LogError.offsetOutOfRange(
                            tp, requested: requested.fetchOffset, start: start, end: end)
                    }
                    // As in Kafka, the first partition with data returns at least one whole batch even when
                    // it is larger than the limits, so a consumer never stalls on a large batch.
                    let limit = min(Int(max(requested.partitionMaxBytes, 0)), budget)
                    if requested.fetchOffset < end && (limit > 0 || total == 0) {
                        let fetched = try log.readStored(
                            tp, from: requested.fetchOffset, maxBytes: max(limit, 1))
                        partition.highWatermark = fetched.highWatermark
                        partition.lastStableOffset = fetched.highWatermark
                        partition.logStartOffset = fetched.logStartOffset
                        let count = fetched.count
                        if count > 0 {
                            switch fetched.bytes {
                            case .memory(let bytes):
                                partition.records = ByteBuffer(bytes: bytes)
                            case .file(let range):
                                partition.externalRecords = ExternalBytes(count: count, id: stored.count)
                                stored.append(range)
                            }
                            total += count
                            budget = max(0, budget - count)
                        }
                    }
                } catch let error as LogError {
                    partition.errorCode = error.kafkaErrorCode.rawValue
                } catch {
                    partition.errorCode = ErrorCode.unknownServerError.rawValue
                }
                if partition.records == nil && partition.externalRecords == nil {
                    partition.records = ByteBuffer()
                }
                topicResponse.partitions.append(partition)
            }
            response.responses.append(topicResponse)
        }
        return (response, stored, total, ends)
    }
}
