extension FetchedRecords {
    /// Visits every record at or after ``requestedOffset``, in offset order, without copying or allocating.
    /// The views are valid only during the call. Damaged bytes (which the log never returns) end the walk.
    ///
    /// ```swift
    /// var total = 0
    /// fetched.forEach { record in total += record.value.count }
    /// ```
    public func forEach(_ body: (RecordView) throws -> Void) rethrows {
        try batches.withUnsafeBytes { all in
            var position = 0
            while position < all.count {
                let rest = UnsafeRawBufferPointer(rebasing: all[position...])
                guard let header = RecordBatchHeader(rest), header.size <= rest.count else { return }
                let batch = UnsafeRawBufferPointer(rebasing: rest[0..<header.size])
                if header.lastOffset >= requestedOffset {
                    let skipBelow = requestedOffset
                    let ok = try RecordBatch.forEachRecord(in: batch, header: header) { view in
                        if view.offset >= skipBelow { try body(view) }
                    }
                    if !ok { return }
                }
                position += header.size
            }
        }
    }

    /// Like ``records()``, but a batch that cannot be decoded (damaged, or compressed with a codec whose
    /// library is missing) is an error instead of the end of the walk.
    public func decodedRecords() throws(LogError) -> [ConsumerRecord] {
        var failure: LogError? = nil
        var result: [ConsumerRecord] = []
        batches.withUnsafeBytes { all in
            var position = 0
            while position < all.count {
                let rest = UnsafeRawBufferPointer(rebasing: all[position...])
                guard let header = RecordBatchHeader(rest), header.size <= rest.count else {
                    failure = .invalidBatch(topicPartition, reason: "truncated batch at byte \(position)")
                    return
                }
                let batch = UnsafeRawBufferPointer(rebasing: rest[0..<header.size])
                do throws(LogError) {
                    try RecordBatch.checkInflatable(batch, header: header)
                } catch {
                    failure = error
                    return
                }
                let ok = RecordBatch.forEachRecord(in: batch, header: header) { view in
                    guard view.offset >= requestedOffset else { return }
                    result.append(
                        ConsumerRecord(
                            topicPartition: topicPartition, offset: view.offset, timestamp: view.timestamp,
                            key: view.key.map { Array($0) }, value: Array(view.value), headers: view.headers()
                        ))
                }
                if !ok {
                    failure = .invalidBatch(
                        topicPartition, reason: "malformed records at offset \(header.baseOffset)")
                    return
                }
                position += header.size
            }
        }
        if let failure { throw failure }
        return result
    }

    /// The records at or after ``requestedOffset`` as owned values: convenient for tools and tests.
    public func records() -> [ConsumerRecord] {
        var result: [ConsumerRecord] = []
        forEach { view in
            result.append(
                ConsumerRecord(
                    topicPartition: topicPartition, offset: view.offset, timestamp: view.timestamp,
                    key: view.key.map { Array($0) }, value: Array(view.value), headers: view.headers()))
        }
        return result
    }

    /// The number of records at or after ``requestedOffset``.
    public var recordCount: Int {
        var n = 0
        forEach { _ in n += 1 }
        return n
    }
}

extension RecordView {
    /// Decodes the record's headers (allocates; keep it off hot paths).
    public func headers() -> [Header] {
        guard headerCount > 0 else { return [] }
        var result: [Header] = []
        result.reserveCapacity(headerCount)
        var i = 0
        let bytes = encodedHeaders
        for _ in 0..<headerCount {
            guard let keyLength = Varint.read(bytes, at: &i), keyLength >= 0,
                i + Int(keyLength) <= bytes.count
            else { break }
            let key = String(
                decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + Int(keyLength))]), as: UTF8.self)
            i += Int(keyLength)
            guard let valueLength = Varint.read(bytes, at: &i) else { break }
            var value: [UInt8]? = nil
            if valueLength >= 0 {
                guard i + Int(valueLength) <= bytes.count else { break }
                value = Array(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + Int(valueLength))]))
                i += Int(valueLength)
            }
            result.append(Header(key: key, value: value))
        }
        return result
    }
}
