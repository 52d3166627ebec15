/// Reads the pages of one column chunk (dictionary page, data pages v1 and v2) into a leaf's levels and
/// values. Every offset and size from the file is checked against the chunk and the file.
struct ColumnChunkReader {
    let file: [UInt8]
    /// End of the region column chunks may occupy (the footer starts there).
    let dataEnd: Int

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
                    let bytes = try decompress(body, header.uncompressedSize, meta.codec)
                    var builder = ValuesBuilder(type: leaf.values.type, width: leaf.values.width)
                    try withBytes(bytes) { (b) throws(ParquetError) in
                        var reader = ByteReader(b)
                        try builder.appendPlain(&reader, count: header.numValues)
                    }
                    dictionary = builder
                case .dataPage:
                    let bytes = try decompress(body, header.uncompressedSize, meta.codec)
                    try withBytes(bytes) { (b) throws(ParquetError) in
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
                    let present = try withBytes(Array(file[levels])) { (b) throws(ParquetError) -> Int in
                        var reader = ByteReader(b)
                        return try readLevels(&reader, header: header, leaf: &leaf, v2: true)
                    }
                    let valuesRange = levels.upperBound..<body.upperBound
                    let bytes =
                        header.isCompressed
                        ? try decompress(valuesRange, header.uncompressedSize - levelBytes, meta.codec)
                        : Array(file[valuesRange])
                    try withBytes(bytes) { (b) throws(ParquetError) in
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

    func decompress(_ range: Range<Int>, _ size: Int, _ codec: CompressionCodec) throws(ParquetError)
        -> [UInt8]
    {
        var result: Result<[UInt8], ParquetError>?
        file.withUnsafeBytes { all in
            let slice = UnsafeRawBufferPointer(rebasing: all[range])
            result = Result { () throws(ParquetError) in
                try Compression.decompress(slice, codec: codec, size: size)
            }
        }
        return try result!.get()
    }

    /// Reads the page's levels; returns how many entries carry a value (definition level at its maximum).
    func readLevels(
        _ reader: inout ByteReader, header: PageHeader, leaf: inout LeafData, v2: Bool
    ) throws(ParquetError) -> Int {
        let n = header.numValues
        if leaf.maxRepetition > 0 {
            let length = v2 ? header.repetitionLevelsLength : Int(try reader.uint32())
            try reader.need(length, "repetition levels")
            var levels = ByteReader(reader.base, from: reader.position, to: reader.position + length)
            let before = leaf.repetitionLevels.count
            try RLEHybrid.decode(
                &levels, bitWidth: RLEHybrid.bitWidth(leaf.maxRepetition), count: n,
                into: &leaf.repetitionLevels)
            for i in before..<leaf.repetitionLevels.count where leaf.repetitionLevels[i] > leaf.maxRepetition
            {
                throw ParquetError.corrupt(
                    "repetition level \(leaf.repetitionLevels[i]) above \(leaf.maxRepetition)")
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
        var present = 0
        let max = UInt32(leaf.maxDefinition)
        for i in before..<leaf.definitionLevels.count {
            let level = leaf.definitionLevels[i]
            if level == max {
                present += 1
            } else if level > max {
                throw ParquetError.corrupt("definition level \(level) above \(max)")
            }
        }
        return present
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
            try RLEHybrid.decode(&reader, bitWidth: width, count: count, into: &indices)
            let size = UInt32(dictionary.count)
            for index in indices where index >= size {
                throw .corrupt("dictionary index \(index) beyond the dictionary's \(size) values")
            }
            values.appendGathered(from: dictionary, indices: indices)
        case .rle:
            guard values.type == .boolean else {
                throw ParquetError(.unsupported, "RLE encoding for \(values.type)")
            }
            let length = Int(try reader.uint32())
            try reader.need(length, "RLE booleans")
            var bits = ByteReader(reader.base, from: reader.position, to: reader.position + length)
            var decoded: [UInt32] = []
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
