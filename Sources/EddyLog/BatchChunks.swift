/// Splits one append call's records into batches of at most ``maxBatchBytes`` (each batch holds at least
/// one record), so a huge call still produces batches a Kafka client accepts and a reader can fetch whole.
struct BatchChunks<C: Collection<ProducerRecord>>: Sequence, IteratorProtocol {
    static var maxBatchBytes: Int { 1 << 20 }

    private let records: C
    private var position: C.Index

    init(_ records: C) {
        self.records = records
        position = records.startIndex
    }

    mutating func next() -> C.SubSequence? {
        guard position != records.endIndex else { return nil }
        var end = position
        var size = RecordBatch.headerSize
        while end != records.endIndex {
            let recordSize = RecordBatch.maxEncodedSize(of: records[end])
            if end != position && size + recordSize > Self.maxBatchBytes { break }
            size += recordSize
            records.formIndex(after: &end)
        }
        defer { position = end }
        return records[position..<end]
    }
}
