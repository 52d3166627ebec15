/// The Thrift header before every page of a column chunk.
struct PageHeader: Equatable {
    var type: PageType
    var uncompressedSize: Int
    var compressedSize: Int
    /// Data page (v1 or v2) or dictionary page: the number of values, including nulls for data pages.
    var numValues: Int
    var encoding: Encoding
    // v2 only
    var numNulls = 0
    var numRows = 0
    var definitionLevelsLength = 0
    var repetitionLevelsLength = 0
    var isCompressed = true
    var statistics: Statistics?

    init(
        type: PageType, uncompressedSize: Int, compressedSize: Int, numValues: Int, encoding: Encoding,
        statistics: Statistics? = nil
    ) {
        self.type = type
        self.uncompressedSize = uncompressedSize
        self.compressedSize = compressedSize
        self.numValues = numValues
        self.encoding = encoding
        self.statistics = statistics
    }

    init(_ s: ThriftStruct) throws(ParquetError) {
        type = try requiredEnum(s, 1, "page type")
        uncompressedSize = try checkedInt(try requiredInt(s, 2, "page size"), "uncompressed page size")
        compressedSize = try checkedInt(try requiredInt(s, 3, "page size"), "compressed page size")
        switch type {
        case .dataPage:
            guard let h = s.structure(5) else { throw .corrupt("data page has no data page header") }
            numValues = try checkedInt(try requiredInt(h, 1, "page value count"), "page value count")
            encoding = try requiredEnum(h, 2, "page encoding")
        case .dictionaryPage:
            guard let h = s.structure(7) else { throw .corrupt("dictionary page has no dictionary header") }
            numValues = try checkedInt(try requiredInt(h, 1, "dictionary size"), "dictionary size")
            encoding = try requiredEnum(h, 2, "dictionary encoding")
        case .dataPageV2:
            guard let h = s.structure(8) else { throw .corrupt("data page v2 has no v2 header") }
            numValues = try checkedInt(try requiredInt(h, 1, "page value count"), "page value count")
            numNulls = try checkedInt(try requiredInt(h, 2, "page null count"), "page null count")
            numRows = try checkedInt(try requiredInt(h, 3, "page row count"), "page row count")
            encoding = try requiredEnum(h, 4, "page encoding")
            definitionLevelsLength = try checkedInt(
                try requiredInt(h, 5, "definition levels length"), "definition levels length")
            repetitionLevelsLength = try checkedInt(
                try requiredInt(h, 6, "repetition levels length"), "repetition levels length")
            isCompressed = h.bool(7) ?? true
        case .indexPage:
            numValues = 0
            encoding = .plain
        }
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        s.set(1, .i32(type.rawValue))
        s.set(2, .i32(Int32(uncompressedSize)))
        s.set(3, .i32(Int32(compressedSize)))
        switch type {
        case .dataPage:
            var h = ThriftStruct()
            h.set(1, .i32(Int32(numValues)))
            h.set(2, .i32(encoding.rawValue))
            h.set(3, .i32(Encoding.rle.rawValue))
            h.set(4, .i32(Encoding.rle.rawValue))
            h.set(5, statistics.map { .structure($0.thrift) })
            s.set(5, .structure(h))
        case .dictionaryPage:
            var h = ThriftStruct()
            h.set(1, .i32(Int32(numValues)))
            h.set(2, .i32(encoding.rawValue))
            s.set(7, .structure(h))
        case .dataPageV2, .indexPage:
            break  // not written
        }
        return s
    }
}
