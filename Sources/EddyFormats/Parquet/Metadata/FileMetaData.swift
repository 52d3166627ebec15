/// The footer: schema, row groups and their column chunks, key-value metadata.
struct FileMetaData: Equatable {
    var version: Int32 = 2
    var schema: [SchemaElement]
    var numRows: Int64
    var rowGroups: [RowGroup]
    var keyValueMetadata: [(key: String, value: String?)] = []
    var createdBy: String?

    static func == (a: FileMetaData, b: FileMetaData) -> Bool {
        a.version == b.version && a.schema == b.schema && a.numRows == b.numRows && a.rowGroups == b.rowGroups
            && a.keyValueMetadata.map(\.key) == b.keyValueMetadata.map(\.key)
            && a.keyValueMetadata.map(\.value) == b.keyValueMetadata.map(\.value)
            && a.createdBy == b.createdBy
    }

    init(schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup], createdBy: String?) {
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.createdBy = createdBy
    }

    init(_ s: ThriftStruct) throws(ParquetError) {
        version = Int32(clamping: s.int(1) ?? 1)
        guard let schemaList = s.list(2) else { throw .corrupt("footer has no schema") }
        schema = []
        for case .structure(let element) in schemaList { schema.append(try SchemaElement(element)) }
        numRows = try requiredInt(s, 3, "footer row count")
        guard numRows >= 0 else { throw .corrupt("footer row count \(numRows) is negative") }
        rowGroups = []
        for case .structure(let group) in s.list(4) ?? [] { rowGroups.append(try RowGroup(group)) }
        for case .structure(let pair) in s.list(5) ?? [] {
            keyValueMetadata.append((pair.string(1) ?? "", pair.string(2)))
        }
        createdBy = s.string(6)
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        s.set(1, .i32(version))
        s.set(2, .list(.structure, schema.map { .structure($0.thrift) }))
        s.set(3, .i64(numRows))
        s.set(4, .list(.structure, rowGroups.map { .structure($0.thrift) }))
        if !keyValueMetadata.isEmpty {
            s.set(
                5,
                .list(
                    .structure,
                    keyValueMetadata.map { pair in
                        var kv = ThriftStruct()
                        kv.set(1, .binary(Array(pair.key.utf8)))
                        kv.set(2, pair.value.map { .binary(Array($0.utf8)) })
                        return .structure(kv)
                    }))
        }
        s.set(6, createdBy.map { .binary(Array($0.utf8)) })
        // column_orders: TYPE_DEFINED_ORDER for every leaf, so readers trust min_value/max_value.
        let leaves = schema.filter { $0.type != nil }.count
        s.set(
            7,
            .list(
                .structure,
                Array(
                    repeating: .structure(ThriftStruct([ThriftField(1, .structure(ThriftStruct()))])),
                    count: leaves)))
        return s
    }
}

struct RowGroup: Equatable {
    var columns: [ColumnChunk]
    var totalByteSize: Int64
    var numRows: Int64

    init(columns: [ColumnChunk], totalByteSize: Int64, numRows: Int64) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
    }

    init(_ s: ThriftStruct) throws(ParquetError) {
        columns = []
        for case .structure(let chunk) in s.list(1) ?? [] { columns.append(try ColumnChunk(chunk)) }
        totalByteSize = s.int(2) ?? 0
        numRows = try requiredInt(s, 3, "row group row count")
        guard numRows >= 0 else { throw .corrupt("row group row count \(numRows) is negative") }
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        s.set(1, .list(.structure, columns.map { .structure($0.thrift) }))
        s.set(2, .i64(totalByteSize))
        s.set(3, .i64(numRows))
        if let first = columns.first?.metaData {
            s.set(5, .i64(first.dictionaryPageOffset ?? first.dataPageOffset))
            s.set(6, .i64(columns.reduce(0) { $0 + $1.metaData.totalCompressedSize }))
        }
        return s
    }
}

/// A column chunk and its metadata (always inline in the files we read and write).
struct ColumnChunk: Equatable {
    var fileOffset: Int64
    var metaData: ColumnMetaData

    init(fileOffset: Int64, metaData: ColumnMetaData) {
        self.fileOffset = fileOffset
        self.metaData = metaData
    }

    init(_ s: ThriftStruct) throws(ParquetError) {
        if s.binary(1) != nil {
            throw ParquetError(.unsupported, "column chunks in other files are not supported")
        }
        fileOffset = s.int(2) ?? 0
        guard let meta = s.structure(3) else { throw .corrupt("column chunk has no metadata") }
        metaData = try ColumnMetaData(meta)
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        s.set(2, .i64(fileOffset))
        s.set(3, .structure(metaData.thrift))
        return s
    }
}

struct ColumnMetaData: Equatable {
    var type: PhysicalType
    var encodings: [Encoding]
    var path: [String]
    var codec: CompressionCodec
    var numValues: Int64
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var statistics: Statistics?

    init(
        type: PhysicalType, encodings: [Encoding], path: [String], codec: CompressionCodec, numValues: Int64,
        totalUncompressedSize: Int64, totalCompressedSize: Int64, dataPageOffset: Int64,
        dictionaryPageOffset: Int64?, statistics: Statistics?
    ) {
        self.type = type
        self.encodings = encodings
        self.path = path
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.dataPageOffset = dataPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
    }

    init(_ s: ThriftStruct) throws(ParquetError) {
        type = try requiredEnum(s, 1, "column type")
        encodings = (s.list(2) ?? []).compactMap {
            if case .i32(let v) = $0 { Encoding(rawValue: v) } else { nil }
        }
        path = (s.list(3) ?? []).compactMap {
            if case .binary(let v) = $0 { String(decoding: v, as: UTF8.self) } else { nil }
        }
        codec = try requiredEnum(s, 4, "compression codec")
        numValues = try requiredInt(s, 5, "column value count")
        totalUncompressedSize = try requiredInt(s, 6, "column uncompressed size")
        totalCompressedSize = try requiredInt(s, 7, "column compressed size")
        dataPageOffset = try requiredInt(s, 9, "data page offset")
        dictionaryPageOffset = s.int(11)
        statistics = s.structure(12).map(Statistics.init)
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        s.set(1, .i32(type.rawValue))
        s.set(2, .list(.i32, encodings.map { .i32($0.rawValue) }))
        s.set(3, .list(.binary, path.map { .binary(Array($0.utf8)) }))
        s.set(4, .i32(codec.rawValue))
        s.set(5, .i64(numValues))
        s.set(6, .i64(totalUncompressedSize))
        s.set(7, .i64(totalCompressedSize))
        s.set(9, .i64(dataPageOffset))
        s.set(11, dictionaryPageOffset.map { .i64($0) })
        s.set(12, statistics.map { .structure($0.thrift) })
        return s
    }
}

/// Min/max (plain-encoded, in the column's sort order) and the null count of a column chunk.
public struct Statistics: Equatable, Sendable {
    public var min: [UInt8]?
    public var max: [UInt8]?
    public var nullCount: Int64?

    public init(min: [UInt8]?, max: [UInt8]?, nullCount: Int64?) {
        self.min = min
        self.max = max
        self.nullCount = nullCount
    }

    init(_ s: ThriftStruct) {
        min = s.binary(6) ?? s.binary(2)
        max = s.binary(5) ?? s.binary(1)
        nullCount = s.int(3)
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        s.set(3, nullCount.map { .i64($0) })
        s.set(5, max.map { .binary($0) })
        s.set(6, min.map { .binary($0) })
        return s
    }
}
