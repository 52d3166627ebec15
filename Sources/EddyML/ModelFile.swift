import Foundation

/// The on-disk form of an ``ALSModel``: one file, `model.als` in a model directory, written atomically
/// (temporary file, then rename) so a reader sees the old model or the new one, never a mix.
///
/// Layout (little-endian): magic `EDDYALS\0` · format version (UInt32) · total length (UInt64) ·
/// metadata length (UInt32) + metadata JSON · user ids · item ids · user factors · item factors · rated
/// items (CSR offsets, columns) · CRC-32 of everything before it. Ids are a count, then per id a tag
/// (0 integer: Int64; 1 string: UInt32 length + UTF-8).
///
/// ```swift
/// try ModelFile.write(model, to: "models/ml-100k")          // models/ml-100k/model.als
/// let loaded = try ModelFile.read(path: "models/ml-100k")   // the directory or the file
/// ```
public enum ModelFile {
    public static let magic: [UInt8] = Array("EDDYALS".utf8) + [0]
    public static let formatVersion: UInt32 = 1
    public static let fileName = "model.als"
    static let headerSize = 8 + 4 + 8

    /// The file a path names: the path itself when it is a file, else `model.als` inside it.
    public static func filePath(for path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return path
        }
        return (path as NSString).appendingPathComponent(fileName)
    }

    /// The version of the model stored at `path`, or nil when there is none (or it cannot be read).
    public static func existingVersion(at path: String) -> UInt64? {
        (try? read(path: path))?.metadata.version
    }

    /// Writes `model` into directory `directory` (created when missing); returns the file's path.
    @discardableResult
    public static func write(_ model: ALSModel, to directory: String) throws(ModelFileError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, reason: "cannot create the directory")
        }
        let path = (directory as NSString).appendingPathComponent(fileName)
        let bytes = encode(model)
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw .io(path: temporary, reason: "cannot write (permission denied or disk full)")
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .io(path: path, reason: "cannot replace the model file")
        }
        return path
    }

    public static func read(path: String) throws(ModelFileError) -> ALSModel {
        let file = filePath(for: path)
        guard FileManager.default.fileExists(atPath: file) else { throw .notFound(path: path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw .io(path: file, reason: "cannot read (permission denied?)")
        }
        return try decode([UInt8](data), path: file)
    }

    // MARK: - Encoding

    public static func encode(_ model: ALSModel) -> [UInt8] {
        var out = ByteWriter()
        out.bytes(magic)
        out.uint32(formatVersion)
        out.uint64(0)  // total length, patched below
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = (try? encoder.encode(model.metadata)).map { [UInt8]($0) } ?? []
        out.uint32(UInt32(metadata.count))
        out.bytes(metadata)
        out.ids(model.users)
        out.ids(model.items)
        out.uint32(UInt32(model.rank))
        out.floats(model.userFactors.values)
        out.floats(model.itemFactors.values)
        out.uint64(UInt64(model.rated.entryCount))
        for offset in model.rated.offsets { out.uint64(UInt64(offset)) }
        for column in model.rated.columns { out.uint32(UInt32(bitPattern: column)) }
        for value in model.rated.values { out.uint32(value.bitPattern) }
        let total = UInt64(out.data.count + 4)
        for k in 0..<8 { out.data[12 + k] = UInt8(truncatingIfNeeded: total >> (8 * UInt64(k))) }
        let crc = out.data.withUnsafeBytes { CRC32.checksum($0) }
        out.uint32(crc)
        return out.data
    }

    public static func decode(_ bytes: [UInt8], path: String) throws(ModelFileError) -> ALSModel {
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw .notAModel(path: path)
        }
        var reader = ByteReader(bytes: bytes, path: path)
        reader.position = magic.count
        let version = try reader.uint32()
        guard version == formatVersion else {
            throw .unsupportedVersion(path: path, found: version, supported: formatVersion)
        }
        let total = try reader.uint64()
        guard total <= UInt64(Int.max), Int(total) <= bytes.count else {
            throw .truncated(path: path, expected: Int(min(total, UInt64(Int.max))), found: bytes.count)
        }
        guard Int(total) == bytes.count, total >= UInt64(headerSize + 4) else {
            throw .corrupt(
                path: path, reason: "its length (\(bytes.count) bytes) differs from its header's (\(total))")
        }
        let stored = bytes.withUnsafeBytes { raw in
            UInt32(raw[bytes.count - 4]) | UInt32(raw[bytes.count - 3]) << 8 | UInt32(raw[bytes.count - 2])
                << 16
                | UInt32(raw[bytes.count - 1]) << 24
        }
        let computed = bytes.withUnsafeBytes {
            CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<bytes.count - 4]))
        }
        guard stored == computed else { throw .corrupt(path: path, reason: "checksum mismatch") }
        reader.end = bytes.count - 4

        // Past the checksum the content is what we wrote; the checks below guard against a writer bug
        // rather than damage, and still refuse instead of trapping.
        let metadataLength = Int(try reader.uint32())
        let metadataBytes = try reader.bytes(metadataLength)
        guard let metadata = try? JSONDecoder().decode(ModelMetadata.self, from: Data(metadataBytes)) else {
            throw .corrupt(path: path, reason: "unreadable metadata")
        }
        let users = try reader.ids()
        let items = try reader.ids()
        let rank = Int(try reader.uint32())
        guard rank >= 1, rank == metadata.rank else { throw .corrupt(path: path, reason: "bad rank") }
        let userFactors = try reader.floats(users.count * rank)
        let itemFactors = try reader.floats(items.count * rank)
        let entries = try reader.count(try reader.uint64(), each: 8)
        var offsets = [Int]()
        offsets.reserveCapacity(users.count + 1)
        for _ in 0...users.count {
            let offset = try reader.uint64()
            guard offset <= UInt64(entries) else {
                throw .corrupt(path: path, reason: "inconsistent rated-items index")
            }
            offsets.append(Int(offset))
        }
        var columns = [Int32]()
        columns.reserveCapacity(entries)
        for _ in 0..<entries { columns.append(Int32(bitPattern: try reader.uint32())) }
        let values = try reader.floats(entries)
        guard reader.position == reader.end else {
            throw .corrupt(path: path, reason: "unexpected trailing data")
        }
        guard offsets.first == 0, offsets.last == entries,
            zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }),
            columns.allSatisfy({ $0 >= 0 && Int($0) < items.count })
        else { throw .corrupt(path: path, reason: "inconsistent rated-items index") }
        return ALSModel(
            metadata: metadata, users: users, items: items,
            userFactors: FactorMatrix(rows: users.count, rank: rank, values: userFactors),
            itemFactors: FactorMatrix(rows: items.count, rank: rank, values: itemFactors),
            rated: SparseRows(offsets: offsets, columns: columns, values: values, columnCount: items.count))
    }
}

private struct ByteWriter {
    var data: [UInt8] = []

    mutating func bytes(_ bytes: [UInt8]) { data.append(contentsOf: bytes) }

    mutating func uint32(_ value: UInt32) {
        for k in 0..<4 { data.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(k)))) }
    }

    mutating func uint64(_ value: UInt64) {
        for k in 0..<8 { data.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(k)))) }
    }

    mutating func floats(_ values: [Float]) {
        data.reserveCapacity(data.count + values.count * 4)
        for value in values { uint32(value.bitPattern) }
    }

    mutating func ids(_ map: IDMap) {
        uint32(UInt32(map.count))
        for id in map.ids {
            switch id {
            case .int(let value):
                data.append(0)
                uint64(UInt64(bitPattern: value))
            case .string(let value):
                data.append(1)
                let utf8 = Array(value.utf8)
                uint32(UInt32(utf8.count))
                bytes(utf8)
            }
        }
    }
}

private struct ByteReader {
    let bytes: [UInt8]
    let path: String
    var position = 0
    var end: Int

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
        self.end = bytes.count
    }

    private mutating func need(_ count: Int) throws(ModelFileError) {
        guard count >= 0, count <= end - position else {
            throw .corrupt(path: path, reason: "a section runs past the end of the file")
        }
    }

    /// A count read from the file, checked against the bytes left so a bad count cannot make us allocate.
    mutating func count(_ value: UInt64, each: Int) throws(ModelFileError) -> Int {
        guard value <= UInt64(end - position) else { throw .corrupt(path: path, reason: "implausible count") }
        try need(Int(value) * each)
        return Int(value)
    }

    mutating func bytes(_ count: Int) throws(ModelFileError) -> [UInt8] {
        try need(count)
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    mutating func uint8() throws(ModelFileError) -> UInt8 {
        try need(1)
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint32() throws(ModelFileError) -> UInt32 {
        try need(4)
        var value: UInt32 = 0
        for k in 0..<4 { value |= UInt32(bytes[position + k]) << (8 * UInt32(k)) }
        position += 4
        return value
    }

    mutating func uint64() throws(ModelFileError) -> UInt64 {
        try need(8)
        var value: UInt64 = 0
        for k in 0..<8 { value |= UInt64(bytes[position + k]) << (8 * UInt64(k)) }
        position += 8
        return value
    }

    mutating func floats(_ count: Int) throws(ModelFileError) -> [Float] {
        try need(count * 4)
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count { values[i] = Float(bitPattern: try uint32()) }
        return values
    }

    mutating func ids() throws(ModelFileError) -> IDMap {
        let count = try self.count(UInt64(try uint32()), each: 9)
        var map = IDMap()
        map.reserveCapacity(count)
        for _ in 0..<count {
            let before = map.count
            switch try uint8() {
            case 0: map.insert(.int(Int64(bitPattern: try uint64())))
            case 1:
                let length = Int(try uint32())
                map.insert(.string(String(decoding: try bytes(length), as: UTF8.self)))
            default: throw .corrupt(path: path, reason: "bad id tag")
            }
            guard map.count == before + 1 else { throw .corrupt(path: path, reason: "duplicate id") }
        }
        return map
    }
}
