/// Reads the pages of one column chunk (dictionary page, data pages v1 and v2) into a leaf's levels and
/// values. Every offset and size from the file is checked against the chunk and the file.
///
/// Pages are decoded from where they lie: an uncompressed page straight from the file's bytes, a
/// compressed one from a page buffer reused for every page and chunk; dictionary indices go through a
/// reused index buffer into the leaf's typed arrays.
struct ColumnChunkReader {
    let file: [UInt8]
    /// End of the region column chunks may occupy (the footer starts there).
    let dataEnd: Int
    private let buffers = PageBuffers()

    /// Decompressed page bytes and one page's dictionary indices, reused (grown, never shrunk) from page
    /// to page and chunk to chunk.
    private final class PageBuffers {
        var page: [UInt8] = []
        var indices: [UInt32] = []
    }

    init(file: [UInt8], dataEnd: Int) {
        self.file = file
        self.dataEnd = dataEnd
    }

    func read(_ meta: ColumnMetaData, into leaf: inout LeafData) throws(ParquetError) {
        var start = meta.dataPageOffset
        if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < start {
            start = dictionary
        }
        let size = meta.totalCompressedSize
        guard start >= 4, size >= 0, start < Int64(dataEnd), size <= Int64(dataEnd) - start else {
            throw ParquetError(
                .corrupt,
                "column chunk at \(start) (\(size) bytes) lies outside the file's data (\(dataEnd) bytes)")
        }
        var position = Int(start)
        let end = Int(start + size)
        var dictionary: ValuesBuilder?
        var valuesRead: Int64 = 0
        var page = 0
        while valuesRead < meta.numValues && position < end {
            var thrift = ThriftCompactReader(file, from: position, to: end)
            let header: PageHeader
            do {
                header = try PageHeader(try thrift.readStruct())
            } catch let error as ThriftError {
                throw ParquetError(error, while: "page \(page) header")
            } catch let error as ParquetError {
                throw ParquetError(error.kind, "page \(page) header: \(error.message)")
            } catch {
                throw ParquetError(.corrupt, "page \(page) header: \(error)")
            }
            let bodyStart = thrift.position
            guard header.compressedSize <= end - bodyStart else {
                throw ParquetError(
                    .truncated,
                    "page \(page) claims \(header.compressedSize) bytes, the chunk has \(end - bodyStart) left"
                )
            }
            let body = bodyStart..<bodyStart + header.compressedSize
            position = body.upperBound
            do throws(ParquetError) {
                switch header.type {
                case .dictionaryPage:
                    var builder = ValuesBuilder(type: leaf.values.type, width: leaf.values.width)
                    try withPage(body, header.uncompressedSize, meta.codec) { (b) throws(ParquetError) in
                        var reader = ByteReader(b)
                        try builder.appendPlain(&reader, count: header.numValues)
                    }
                    dictionary = builder
                case .dataPage:
                    try withPage(body, header.uncompressedSize, meta.codec) { (b) throws(ParquetError) in
                        var reader = ByteReader(b)
                        let present = try readLevels(&reader, header: header, leaf: &leaf, v2: false)
                        try decodeValues(
                            &reader, header: header, count: present, dictionary: dictionary,
                            into: &leaf.values)
                    }
                    valuesRead += Int64(header.numValues)
                case .dataPageV2:
                    let levelBytes = header.repetitionLevelsLength + header.definitionLevelsLength
                    guard levelBytes <= header.compressedSize, levelBytes <= header.uncompressedSize else {
                        throw ParquetError.corrupt("levels are longer than the page")
                    }
                    let levels = body.lowerBound..<body.lowerBound + levelBytes
                    let present = try withPage(levels, levelBytes, .uncompressed) {
                        (b) throws(ParquetError) -> Int in
                        var reader = ByteReader(b)
                        return try readLevels(&reader, header: header, leaf: &leaf, v2: true)
                    }
                    let valuesRange = levels.upperBound..<body.upperBound
                    try withPage(
                        valuesRange, header.uncompressedSize - levelBytes,
                        header.isCompressed ? meta.codec : .uncompressed
                    ) { (b) throws(ParquetError) in
                        var reader = ByteReader(b)
                        try decodeValues(
                            &reader, header: header, count: present, dictionary: dictionary,
                            into: &leaf.values)
                    }
                    valuesRead += Int64(header.numValues)
                case .indexPage:
                    break
                }
            } catch {
                throw ParquetError(error.kind, "page \(page): \(error.message)")
            }
            page += 1
        }
        guard valuesRead == meta.numValues else {
            throw ParquetError(
                .corrupt, "the chunk holds \(valuesRead) values, its metadata says \(meta.numValues)")
        }
    }

    /// Calls `body` with the page's bytes: the file's own bytes when the page is stored uncompressed,
    /// else the page decompressed into the reused page buffer.
    func withPage<R>(
        _ range: Range<Int>, _ size: Int, _ codec: CompressionCodec,
        _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> R
    ) throws(ParquetError) -> R {
        guard size >= 0 else { throw .corrupt("negative page size \(size)") }
        if codec == .uncompressed {
            guard range.count == size else {
                throw .corrupt("page holds \(range.count) bytes, its header says \(size)")
            }
            return try file.withUnsafeBufferPointer { (all) throws(ParquetError) -> R in
                try body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: all[range])))
            }
        }
        var buffer: [UInt8] = []
        swap(&buffer, &buffers.page)  // owned here while `body` runs
        defer { swap(&buffer, &buffers.page) }
        if buffer.count < size { buffer = [UInt8](repeating: 0, count: max(size, buffer.count * 2)) }
        return try buffer.withUnsafeMutableBufferPointer { (out) throws(ParquetError) -> R in
            let target = UnsafeMutableBufferPointer(rebasing: out[0..<size])
            try file.withUnsafeBufferPointer { (all) throws(ParquetError) in
                try Compression.decompress(
                    UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: all[range])), codec: codec,
                    into: target)
            }
            return try body(UnsafeRawBufferPointer(target))
        }
    }

    /// Reads the page's levels; returns how many entries carry a value (definition level at its maximum).
    func readLevels(
        _ reader: inout ByteReader, header: PageHeader, leaf: inout LeafData, v2: Bool
    ) throws(ParquetError) -> Int {
        let n = header.numValues
        guard leaf.maxDefinition <= 255, leaf.maxRepetition <= 255 else {
            throw ParquetError(.unsupported, "nesting deeper than 255 levels")
        }
        if leaf.maxRepetition > 0 {
            let length = v2 ? header.repetitionLevelsLength : Int(try reader.uint32())
            try reader.need(length, "repetition levels")
            var levels = ByteReader(reader.base, from: reader.position, to: reader.position + length)
            let before = leaf.repetitionLevels.count
            try RLEHybrid.decode(
                &levels, bitWidth: RLEHybrid.bitWidth(leaf.maxRepetition), count: n,
                into: &leaf.repetitionLevels)
            let highest = Self.highest(leaf.repetitionLevels, from: before)
            guard highest <= UInt8(clamping: leaf.maxRepetition) else {
                throw ParquetError.corrupt("repetition level \(highest) above \(leaf.maxRepetition)")
            }
            reader.position += length
        }
        guard leaf.maxDefinition > 0 else { return n }
        let length = v2 ? header.definitionLevelsLength : Int(try reader.uint32())
        try reader.need(length, "definition levels")
        var levels = ByteReader(reader.base, from: reader.position, to: reader.position + length)
        let before = leaf.definitionLevels.count
        try RLEHybrid.decode(
            &levels, bitWidth: RLEHybrid.bitWidth(leaf.maxDefinition), count: n, into: &leaf.definitionLevels)
        reader.position += length
        let max = UInt8(clamping: leaf.maxDefinition)
        let highest = Self.highest(leaf.definitionLevels, from: before)
        guard highest <= max else { throw ParquetError.corrupt("definition level \(highest) above \(max)") }
        return leaf.definitionLevels.withUnsafeBufferPointer { levels in
            var present = 0
            for i in before..<levels.count { present &+= levels[i] == max ? 1 : 0 }
            return present
        }
    }

    /// The highest level from `start` on (0 when there is none).
    static func highest(_ levels: [UInt8], from start: Int) -> UInt8 {
        levels.withUnsafeBufferPointer { levels in
            var highest: UInt8 = 0
            for i in start..<levels.count { highest = Swift.max(highest, levels[i]) }
            return highest
        }
    }

    func decodeValues(
        _ reader: inout ByteReader, header: PageHeader, count: Int, dictionary: ValuesBuilder?,
        into values: inout ValuesBuilder
    ) throws(ParquetError) {
        switch header.encoding {
        case .plain:
            try values.appendPlain(&reader, count: count)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw .corrupt("dictionary-encoded page without a dictionary page") }
            guard count > 0 else { return }
            let width = Int(try reader.byte())
            var indices: [UInt32] = []
            swap(&indices, &buffers.indices)
            defer { swap(&indices, &buffers.indices) }
            if indices.count < count {
                indices = [UInt32](repeating: 0, count: Swift.max(count, indices.count * 2))
            }
            try indices.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
                let page = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
                try RLEHybrid.decode(&reader, bitWidth: width, count: count, into: page.baseAddress!)
                var highest: UInt32 = 0
                for index in page { highest = Swift.max(highest, index) }
                guard Int(highest) < dictionary.count else {
                    throw .corrupt(
                        "dictionary index \(highest) beyond the dictionary's \(dictionary.count) values")
                }
                try values.appendGathered(from: dictionary, indices: UnsafeBufferPointer(page))
            }
        case .rle:
            guard values.type == .boolean else {
                throw ParquetError(.unsupported, "RLE encoding for \(values.type)")
            }
            let length = Int(try reader.uint32())
            try reader.need(length, "RLE booleans")
            var bits = ByteReader(reader.base, from: reader.position, to: reader.position + length)
            var decoded: [UInt8] = []
            try RLEHybrid.decode(&bits, bitWidth: 1, count: count, into: &decoded)
            values.booleans.append(contentsOf: decoded.lazy.map { $0 != 0 })
            reader.position += length
        case .deltaBinaryPacked:
            let decoded = try DeltaEncodings.decodeIntegers(&reader, count: count)
            switch values.type {
            case .int32:
                values.int32s.append(
                    contentsOf: decoded.prefix(count).lazy.map { Int32(truncatingIfNeeded: $0) })
            case .int64: values.int64s.append(contentsOf: decoded.prefix(count))
            default: throw ParquetError(.unsupported, "DELTA_BINARY_PACKED for \(values.type)")
            }
        case .deltaLengthByteArray:
            try DeltaEncodings.decodeLengthByteArrays(&reader, count: count, into: &values)
        case .deltaByteArray:
            try DeltaEncodings.decodeByteArrays(&reader, count: count, into: &values)
        case .byteStreamSplit:
            try DeltaEncodings.decodeByteStreamSplit(&reader, count: count, into: &values)
        case .bitPacked:
            throw ParquetError(.unsupported, "the deprecated BIT_PACKED encoding")
        }
    }
}
