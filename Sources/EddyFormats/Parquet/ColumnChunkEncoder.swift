/// Encodes one column's rows of a row group as a column chunk: an optional dictionary page, then data
/// pages (v1) of RLE definition levels and PLAIN or RLE_DICTIONARY values, each compressed.
struct ColumnChunkEncoder {
    let field: Field
    let element: SchemaElement
    let column: ColumnArray
    let rows: Range<Int>
    let options: ParquetWriteOptions

    func encode(startingAt start: Int64, emit: ([UInt8]) -> Void) throws(ParquetError) -> ColumnMetaData {
        guard let values = column.values else {
            throw ParquetError(.unsupported, "writing nested (list and struct) columns is not supported yet")
        }
        try checkStorage(values)
        // The non-null slots of the range (nil when every slot holds a value).
        var slots: [Int32]?
        var nullCount = 0
        if let validity = column.validity {
            guard field.nullable else {
                throw ParquetError(.invalidInput, "null values in a non-nullable column")
            }
            var present: [Int32] = []
            present.reserveCapacity(rows.count)
            for i in rows where validity[i] { present.append(Int32(i)) }
            nullCount = rows.count - present.count
            if nullCount > 0 { slots = present }
        }
        let statistics = StatisticsBuilder.statistics(
            values, field.type, slots, range: rows, nullCount: nullCount)

        var position = start
        var uncompressedTotal: Int64 = 0
        var compressedTotal: Int64 = 0
        var dictionaryOffset: Int64?
        var encodings: [Encoding] = [.rle]

        func page(_ header: PageHeader, _ body: [UInt8]) throws(ParquetError) {
            let compressed = try Compression.compress(body, codec: options.codec, level: options.level)
            var h = header
            h.uncompressedSize = body.count
            h.compressedSize = compressed.count
            var thrift = ThriftCompactWriter()
            thrift.write(h.thrift)
            emit(thrift.bytes)
            emit(compressed)
            let written = Int64(thrift.bytes.count + compressed.count)
            position += written
            compressedTotal += written
            uncompressedTotal += Int64(thrift.bytes.count + body.count)
        }

        var dictionary: (dictionary: ColumnValues, indices: [UInt32])?
        if options.dictionary {
            dictionary = DictionaryBuilder.build(
                values, slots, range: rows, limitBytes: options.dictionaryLimitBytes)
        }
        if let dictionary {
            dictionaryOffset = position
            var body: [UInt8] = []
            PlainEncoder.encode(
                dictionary.dictionary, nil, range: 0..<dictionary.dictionary.count, into: &body)
            try page(
                PageHeader(
                    type: .dictionaryPage, uncompressedSize: 0, compressedSize: 0,
                    numValues: dictionary.dictionary.count, encoding: .plain),
                body)
            encodings += [.plain, .rleDictionary]
        } else {
            encodings += [.plain]
        }
        let dataOffset = position

        // Pages by estimated size: rows per page from the average value size.
        let bytesPerRow = max(1, ParquetWriter.estimatedBytes(column) / max(1, column.count))
        let rowsPerPage = max(1, min(options.pageBytes / bytesPerRow, 1 << 20))
        let bitWidth = dictionary.map { RLEHybrid.bitWidth(max(0, $0.dictionary.count - 1)) } ?? 0
        var pageStart = rows.lowerBound
        var denseStart = 0  // index of the page's first value among the non-null values
        var body: [UInt8] = []
        var levels: [UInt32] = []
        while pageStart < rows.upperBound {
            let pageEnd = min(rows.upperBound, pageStart + rowsPerPage)
            body.removeAll(keepingCapacity: true)
            var denseEnd = denseStart + (pageEnd - pageStart)
            if field.nullable {
                levels.removeAll(keepingCapacity: true)
                if let validity = column.validity {
                    var present = 0
                    for i in pageStart..<pageEnd {
                        let valid = validity[i]
                        levels.append(valid ? 1 : 0)
                        if valid { present += 1 }
                    }
                    denseEnd = denseStart + present
                } else {
                    levels.append(contentsOf: repeatElement(1, count: pageEnd - pageStart))
                }
                body.append(contentsOf: [0, 0, 0, 0])
                levels.withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: 1, into: &body) }
                let length = UInt32(body.count - 4)
                for k in 0..<4 { body[k] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(k))) }
            }
            if let dictionary {
                body.append(UInt8(bitWidth))
                dictionary.indices.withUnsafeBufferPointer { indices in
                    RLEHybrid.encode(
                        UnsafeBufferPointer(rebasing: indices[denseStart..<denseEnd]), bitWidth: bitWidth,
                        into: &body)
                }
            } else if let slots {
                PlainEncoder.encode(values, Array(slots[denseStart..<denseEnd]), range: 0..<0, into: &body)
            } else {
                PlainEncoder.encode(values, nil, range: pageStart..<pageEnd, into: &body)
            }
            try page(
                PageHeader(
                    type: .dataPage, uncompressedSize: 0, compressedSize: 0, numValues: pageEnd - pageStart,
                    encoding: dictionary == nil ? .plain : .rleDictionary),
                body)
            pageStart = pageEnd
            denseStart = denseEnd
        }
        return ColumnMetaData(
            type: element.type!, encodings: encodings, path: [field.name], codec: options.codec,
            numValues: Int64(rows.count), totalUncompressedSize: uncompressedTotal,
            totalCompressedSize: compressedTotal, dataPageOffset: dataOffset,
            dictionaryPageOffset: dictionaryOffset,
            statistics: statistics)
    }

    func checkStorage(_ values: ColumnValues) throws(ParquetError) {
        let fits: Bool
        switch (element.type!, values) {
        case (.boolean, .boolean), (.int32, .int32), (.int64, .int64), (.float, .float), (.double, .double),
            (.byteArray, .bytes):
            fits = true
        case (.fixedLenByteArray, .fixed(let width, _)): fits = width == element.typeLength
        default: fits = false
        }
        guard fits else {
            throw ParquetError(
                .invalidInput, "values stored as \(values.storageName) do not fit type \(field.type)")
        }
    }
}

extension ColumnValues {
    var storageName: String {
        switch self {
        case .boolean: "boolean"
        case .int32: "int32"
        case .int64: "int64"
        case .float: "float"
        case .double: "double"
        case .bytes: "bytes"
        case .fixed(let width, _): "fixed(\(width))"
        }
    }
}

/// Min, max (PLAIN-encoded) and null count of a chunk, in the order of the column's logical type.
enum StatisticsBuilder {
    static func statistics(
        _ values: ColumnValues, _ type: FieldType, _ slots: [Int32]?, range: Range<Int>, nullCount: Int
    ) -> Statistics {
        var stats = Statistics(min: nil, max: nil, nullCount: Int64(nullCount))
        func each(_ body: (Int) -> Void) {
            if let slots { for i in slots { body(Int(i)) } } else { for i in range { body(i) } }
        }
        func plain<T>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
        // `skipping` leaves values out of the range (NaN, which has no order).
        func ordered<T: Comparable>(
            _ key: (Int) -> T, _ encode: (T) -> [UInt8], skipping: (T) -> Bool = { _ in false }
        ) {
            var low: T?
            var high: T?
            each { i in
                let v = key(i)
                if skipping(v) { return }
                if low == nil || v < low! { low = v }
                if high == nil || v > high! { high = v }
            }
            stats.min = low.map(encode)
            stats.max = high.map(encode)
        }
        let unsigned: Bool = if case .int(_, false) = type { true } else { false }
        switch values {
        case .boolean(let v): ordered({ v[$0] ? 1 : 0 }, { [UInt8($0)] })
        case .int32(let v):
            if unsigned {
                ordered({ UInt32(bitPattern: v[$0]) }, { plain($0.littleEndian) })
            } else {
                ordered({ v[$0] }, { plain($0.littleEndian) })
            }
        case .int64(let v):
            if unsigned {
                ordered({ UInt64(bitPattern: v[$0]) }, { plain($0.littleEndian) })
            } else {
                ordered({ v[$0] }, { plain($0.littleEndian) })
            }
        case .float(let v): ordered({ v[$0] }, { plain($0.bitPattern.littleEndian) }, skipping: \.isNaN)
        case .double(let v): ordered({ v[$0] }, { plain($0.bitPattern.littleEndian) }, skipping: \.isNaN)
        case .bytes:
            guard type == .string || type == .binary else { break }
            var low: ArraySlice<UInt8>?
            var high: ArraySlice<UInt8>?
            each { i in
                let v = values.bytes(at: i)
                if low == nil || v.lexicographicallyPrecedes(low!) { low = v }
                if high == nil || high!.lexicographicallyPrecedes(v) { high = v }
            }
            stats.min = low.map { Array($0) }
            stats.max = high.map { Array($0) }
        case .fixed:
            break
        }
        return stats
    }
}
