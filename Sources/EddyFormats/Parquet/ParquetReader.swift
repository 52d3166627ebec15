#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a Parquet file into typed columns.
///
/// ```swift
/// let reader = try ParquetReader(path: "flights.parquet")
/// print(reader.fields, reader.rowCount)
/// let table = try reader.read()                      // every row group, every column
/// let some = try reader.read(columns: ["dep_time"], rowGroups: 0..<1)
/// ```
public struct ParquetReader: Sendable {
    public let name: String
    public let fields: [Field]
    public let rowCount: Int
    public let rowGroupCount: Int
    public let keyValueMetadata: [String: String]
    public let createdBy: String?
    let file: [UInt8]
    let footerStart: Int
    let metadata: FileMetaData
    nonisolated(unsafe) let schema: ParquetSchema

    public init(path: String) throws(ParquetError) {
        try self.init(bytes: try Self.load(path), name: path)
    }

    public init(bytes: [UInt8], name: String = "<memory>") throws(ParquetError) {
        self.name = name
        self.file = bytes
        let magic: [UInt8] = Array("PAR1".utf8)
        guard bytes.count >= 12 else {
            throw ParquetError(
                .notParquet, "\(bytes.count) bytes is too short for a Parquet file", file: name)
        }
        guard Array(bytes[0..<4]) == magic, Array(bytes[(bytes.count - 4)...]) == magic else {
            throw ParquetError(
                .notParquet, "not a Parquet file (no PAR1 magic at its start and end)", file: name)
        }
        let length = bytes.withUnsafeBytes {
            Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt32.self)))
        }
        guard length <= bytes.count - 12 else {
            throw ParquetError(
                .truncated, "the footer claims \(length) bytes, the file has \(bytes.count)", file: name)
        }
        footerStart = bytes.count - 8 - length
        var reader = ThriftCompactReader(bytes, from: footerStart, to: bytes.count - 8)
        do {
            let thrift = try reader.readStruct()
            metadata = try FileMetaData(thrift)
            schema = try ParquetSchema(metadata.schema)
        } catch let error as ThriftError {
            throw ParquetError(error, while: "footer").with(file: name)
        } catch let error as ParquetError {
            throw ParquetError(error.kind, "footer: \(error.message)", file: name)
        } catch {
            throw ParquetError(.corrupt, "footer: \(error)", file: name)
        }
        var total: Int64 = 0
        for (g, group) in metadata.rowGroups.enumerated() {
            guard group.columns.count == schema.leaves.count else {
                throw ParquetError(
                    .corrupt,
                    "row group \(g) has \(group.columns.count) columns, the schema \(schema.leaves.count)",
                    file: name)
            }
            for (chunk, leaf) in zip(group.columns, schema.leaves)
            where chunk.metaData.type != leaf.element.type {
                throw ParquetError(
                    .corrupt, "row group \(g): chunk type differs from the schema", file: name,
                    column: leaf.path.joined(separator: "."))
            }
            total += group.numRows
        }
        guard total == metadata.numRows else {
            throw ParquetError(
                .corrupt, "row groups hold \(total) rows, the footer says \(metadata.numRows)", file: name)
        }
        fields = schema.fields
        rowCount = Int(metadata.numRows)
        rowGroupCount = metadata.rowGroups.count
        var kv: [String: String] = [:]
        for pair in metadata.keyValueMetadata { kv[pair.key] = pair.value ?? "" }
        keyValueMetadata = kv
        createdBy = metadata.createdBy
    }

    /// Rows in each row group.
    public var rowGroupRows: [Int] { metadata.rowGroups.map { Int($0.numRows) } }

    /// Codec of each leaf column in the first row group (for `--help`-style descriptions and tests).
    public var codecs: [CompressionCodec] { metadata.rowGroups.first?.columns.map(\.metaData.codec) ?? [] }

    /// Statistics of leaf column `leaf` in row group `group`, as written.
    public func statistics(rowGroup group: Int, leaf: Int) -> Statistics? {
        metadata.rowGroups[group].columns[leaf].metaData.statistics
    }

    /// Reads the named top-level columns (all when nil) of the given row groups (all when nil).
    public func read(columns: [String]? = nil, rowGroups: Range<Int>? = nil) throws(ParquetError)
        -> ColumnTable
    {
        let groups = rowGroups ?? 0..<rowGroupCount
        guard groups.lowerBound >= 0, groups.upperBound <= rowGroupCount else {
            throw ParquetError(
                .invalidInput, "row groups \(groups) beyond the file's \(rowGroupCount)", file: name)
        }
        var selected: [Int] = []
        if let columns {
            for column in columns {
                guard let index = fields.firstIndex(where: { $0.name == column }) else {
                    throw ParquetError(.invalidInput, "no such column", file: name, column: column)
                }
                selected.append(index)
            }
        } else {
            selected = Array(fields.indices)
        }
        let chunks = ColumnChunkReader(file: file, dataEnd: footerStart)
        var leafData = schema.leaves.map { LeafData($0) }
        var wanted = Set<Int>()
        func collect(_ node: SchemaNode) {
            if let leaf = node.leafIndex { wanted.insert(leaf) }
            node.children.forEach(collect)
        }
        for index in selected { collect(schema.root.children[index]) }
        for leaf in wanted.sorted() {
            let column = schema.leaves[leaf].path.joined(separator: ".")
            let entries = groups.reduce(0) {
                $0 + Int(clamping: metadata.rowGroups[$1].columns[leaf].metaData.numValues)
            }
            // Only a hint: a corrupt count must not reserve absurd memory before the pages are checked.
            leafData[leaf].reserve(min(entries, file.count * 8))
            for g in groups {
                do {
                    try chunks.read(metadata.rowGroups[g].columns[leaf].metaData, into: &leafData[leaf])
                } catch {
                    throw ParquetError(
                        error.kind, "row group \(g): \(error.message)", file: name, column: column)
                }
            }
        }
        let assembler = LevelAssembler(leaves: leafData)
        var arrays: [ColumnArray] = []
        let rows = groups.reduce(0) { $0 + Int(metadata.rowGroups[$1].numRows) }
        for index in selected {
            let plan = schema.plans[index]
            let array: ColumnArray
            do {
                array = try assembler.build(plan, parentPath: [])
            } catch {
                throw error.with(file: name, column: fields[index].name)
            }
            guard array.count == rows else {
                throw ParquetError(
                    .corrupt, "\(array.count) rows, the row groups say \(rows)", file: name,
                    column: fields[index].name)
            }
            arrays.append(array)
        }
        return ColumnTable(uncheckedFields: selected.map { fields[$0] }, columns: arrays, rowCount: rows)
    }

    static func load(_ path: String) throws(ParquetError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ParquetError(.io, "cannot open: \(String(cString: strerror(errno)))", file: path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ParquetError(.io, "cannot stat", file: path) }
        let size = Int(info.st_size)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = Glibc.read(fd, buffer.baseAddress! + done, size - done)
                if n <= 0 {
                    failed = n < 0 && errno != EINTR
                    if n < 0 && errno == EINTR { continue }
                    break
                }
                done += n
            }
            if done < size { for k in done..<size { buffer[k] = 0 } }
            count = size
        }
        if failed { throw ParquetError(.io, "read failed: \(String(cString: strerror(errno)))", file: path) }
        return bytes
    }
}
