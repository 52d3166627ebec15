import EddyLog
import Logging
import NIOCore

extension KafkaBroker {
    /// Appends each partition's batches as the client encoded them (CRC-checked, base offset assigned).
    /// Idempotent producers' batches go through ``ProducerStateTable``: a retried batch is acknowledged
    /// again with its first offsets and not stored twice.
    func produce(_ request: ProduceRequest, version: Int16) -> ProduceResponse {
        var response = ProduceResponse()
        let validAcks = [0, 1, -1].contains(request.acks)
        for topicData in request.topicData {
            var topicResponse = ProduceResponse.TopicResponse()
            topicResponse.name = topicData.name
            var exists = (try? log.describeTopic(topicData.name)) != nil
            if !exists && configuration.autoCreateTopics {
                exists = (try? autoCreate(topicData.name)) != nil
            }
            for partitionData in topicData.partitionData {
                var partition = ProduceResponse.PartitionResponse()
                partition.index = partitionData.index
                let tp = TopicPartition(topicData.name, Int(partitionData.index))
                if !validAcks {
                    partition.errorCode = ErrorCode.invalidRequiredAcks.rawValue
                } else if request.transactionalId != nil {
                    partition.errorCode = ErrorCode.transactionalIdAuthorizationFailed.rawValue
                    partition.errorMessage = "transactions are not supported by Eddy"
                } else if !exists {
                    partition.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
                    partition.errorMessage =
                        "topic '\(topicData.name)' does not exist; create it (eddy topics create \(topicData.name)) or start the broker with --kafka-auto-create"
                } else if let records = partitionData.records, records.readableBytes > 0 {
                    do {
                        let result = try records.withReadableBytes { (bytes) throws(LogError) in
                            try producers.append(bytes, to: tp, log: log)
                        }
                        partition.baseOffset = result.baseOffset
                        partition.errorCode = result.error.rawValue
                        if let start = try? log.offsets(of: tp).start { partition.logStartOffset = start }
                    } catch {
                        partition.errorCode = error.kafkaErrorCode.rawValue
                        partition.errorMessage = error.description
                        if error.kafkaErrorCode == .kafkaStorageError {
                            logger.error("produce to \(tp) failed: \(error)")
                        }
                    }
                } else {
                    partition.errorCode = ErrorCode.invalidRecord.rawValue
                    partition.errorMessage = "no records"
                }
                topicResponse.partitionResponses.append(partition)
            }
            response.responses.append(topicResponse)
        }
        return response
    }
}

extension ByteBuffer {
    /// `withUnsafeReadableBytes` with a typed error.
    func withReadableBytes<T>(_ body: (UnsafeRawBufferPointer) throws(LogError) -> T) throws(LogError) -> T {
        var result: Result<T, LogError>!
        withUnsafeReadableBytes { bytes in
            do throws(LogError) {
                result = .success(try body(bytes))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }
}
