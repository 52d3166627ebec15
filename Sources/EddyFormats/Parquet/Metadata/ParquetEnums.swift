/// Parquet's physical storage types.
public enum PhysicalType: Int32, Sendable {
    case boolean = 0, int32, int64, int96, float, double, byteArray, fixedLenByteArray
}

/// Page and level encodings.
public enum Encoding: Int32, Sendable {
    case plain = 0
    case plainDictionary = 2
    case rle = 3
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9
}

/// Column chunk compression codecs.
public enum CompressionCodec: Int32, Sendable, CaseIterable {
    case uncompressed = 0, snappy, gzip, lzo, brotli, lz4, zstd, lz4Raw

    public var name: String {
        switch self {
        case .uncompressed: "none"
        case .snappy: "snappy"
        case .gzip: "gzip"
        case .lzo: "lzo"
        case .brotli: "brotli"
        case .lz4: "lz4"
        case .zstd: "zstd"
        case .lz4Raw: "lz4_raw"
        }
    }
}

enum PageType: Int32 {
    case dataPage = 0, indexPage, dictionaryPage, dataPageV2
}

enum Repetition: Int32 {
    case required = 0, optional, repeated
}

/// The legacy annotation numbers still written beside LogicalType for old readers.
enum ConvertedType: Int32 {
    case utf8 = 0, map, mapKeyValue, list, enumeration, decimal, date, timeMillis, timeMicros
    case timestampMillis, timestampMicros, uint8, uint16, uint32, uint64, int8, int16, int32, int64
    case json, bson, interval
}

func requiredInt(_ s: ThriftStruct, _ id: Int16, _ what: String) throws(ParquetError) -> Int64 {
    guard let v = s.int(id) else { throw .corrupt("\(what) is missing") }
    return v
}

func requiredEnum<E: RawRepresentable>(_ s: ThriftStruct, _ id: Int16, _ what: String) throws(ParquetError)
    -> E
where E.RawValue == Int32 {
    let raw = try requiredInt(s, id, what)
    guard let narrow = Int32(exactly: raw), let value = E(rawValue: narrow) else {
        throw ParquetError(.unsupported, "\(what) \(raw) is not supported")
    }
    return value
}

func checkedInt(_ value: Int64, _ what: String, max: Int64 = Int64(Int32.max)) throws(ParquetError) -> Int {
    guard value >= 0, value <= max else { throw .corrupt("\(what) \(value) is out of range") }
    return Int(value)
}
