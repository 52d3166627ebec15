#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes typed columns as a Parquet file: row groups by size, PLAIN or dictionary encoding (with
/// fallback), RLE definition levels, data page v1, column statistics, and the codecs of
/// `CompressionCodec` (none, snappy, gzip, zstd, lz4_raw, brotli).
///
/// ```swift
/// let writer = try ParquetWriter(path: "out.parquet", fields: table.fields, options: .init(codec: .zstd))
/// try writer.write(table)     // may be called again with more rows
/// try writer.close()          // writes the footer; the file is complete only after this
/// ```
public final class ParquetWriter {
    public let path: String
    public let fields: [Field]
    let options: ParquetWriteOptions
    let schema: [SchemaElement]
    var descriptor: Int32
    var offset: Int64 = 0
    var buffer: [UInt8] = []
    var rowGroups: [RowGroup] = []
    var rows: Int64 = 0
    var closed = false

    public init(path: String, fields: [Field], options: ParquetWriteOptions = .init()) throws(ParquetError) {
        self.path = path
        self.fields = fields
        self.options = options
        var elements = [SchemaElement(name: "schema", numChildren: fields.count)]
        for field in fields {
            do {
                elements.append(try Self.schemaElement(field))
            } catch {
                throw error.with(file: path, column: field.name)
            }
        }
        schema = elements
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw ParquetError(.io, "cannot create: \(String(cString: strerror(errno)))", file: path)
        }
        buffer.reserveCapacity(1 << 20)
        append(Array("PAR1".utf8))
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    /// Writes a whole table to `path` in one call.
    public static func write(_ table: ColumnTable, to path: String, options: ParquetWriteOptions = .init())
        throws(ParquetError)
    {
        let writer = try ParquetWriter(path: path, fields: table.fields, options: options)
        try writer.write(table)
        try writer.close()
    }

    /// Appends the table's rows as one or more row groups.
    public func write(_ table: ColumnTable) throws(ParquetError) {
        guard !closed else { throw ParquetError(.invalidInput, "the writer is closed", file: path) }
        guard table.fields == fields else {
            throw ParquetError(.invalidInput, "the table's schema differs from the writer's", file: path)
        }
        guard table.rowCount > 0 else { return }
        let bytesPerRow = max(1, table.columns.reduce(0) { $0 + Self.estimatedBytes($1) } / table.rowCount)
        let perGroup = max(1, min(options.rowGroupRows, options.rowGroupBytes / bytesPerRow))
        var start = 0
        while start < table.rowCount {
            let end = min(table.rowCount, start + perGroup)
            try writeRowGroup(table, rows: start..<end)
            start = end
        }
    }

    /// Writes the footer and closes the file.
    public func close() throws(ParquetError) {
        guard !closed else { return }
        closed = true
        var metadata = FileMetaData(schema: schema, numRows: rows, rowGroups: rowGroups, createdBy: "eddy")
        metadata.keyValueMetadata = options.metadata.map { ($0.key, $0.value) }
        if options.arrowSchema && !options.metadata.contains(where: { $0.key == ArrowSchema.footerKey }) {
            metadata.keyValueMetadata.append((ArrowSchema.footerKey, ArrowSchema.footerValue(fields)))
        }
        var thrift = ThriftCompactWriter()
        thrift.write(metadata.thrift)
        append(thrift.bytes)
        var length = UInt32(thrift.bytes.count).littleEndian
        withUnsafeBytes(of: &length) { append(Array($0)) }
        append(Array("PAR1".utf8))
        try flush()
        let status = fsync(descriptor) == 0 && Glibc.close(descriptor) == 0
        descriptor = -1
        guard status else {
            throw ParquetError(.io, "close failed: \(String(cString: strerror(errno)))", file: path)
        }
    }

    func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        offset += Int64(bytes.count)
    }

    func flush() throws(ParquetError) {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress! + done, buffer.count - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "write failed: \(String(cString: strerror(errno)))", file: path)
            }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func writeRowGroup(_ table: ColumnTable, rows range: Range<Int>) throws(ParquetError) {
        var chunks: [ColumnChunk] = []
        var total: Int64 = 0
        for (index, field) in fields.enumerated() {
            let column = table.columns[index]
            let chunkStart = offset
            do {
                let encoder = ColumnChunkEncoder(
                    field: field, element: schema[index + 1], column: column, rows: range, options: options)
                let meta = try encoder.encode(startingAt: chunkStart) { page in append(page) }
                total += meta.totalUncompressedSize
                chunks.append(ColumnChunk(fileOffset: chunkStart, metaData: meta))
            } catch {
                throw error.with(file: path, column: field.name)
            }
            if buffer.count >= 1 << 22 { try flush() }
        }
        rowGroups.append(RowGroup(columns: chunks, totalByteSize: total, numRows: Int64(range.count)))
        rows += Int64(range.count)
    }

    static func estimatedBytes(_ column: ColumnArray) -> Int {
        switch column.storage {
        case .values(let values):
            switch values {
            case .boolean(let v): return v.count / 8 + 1
            case .int32(let v): return v.count * 4
            case .int64(let v): return v.count * 8
            case .float(let v): return v.count * 4
            case .double(let v): return v.count * 8
            case .bytes(let offsets, let data): return data.count + offsets.count * 4
            case .fixed(_, let data): return data.count
            }
        case .list(let offsets, let element): return offsets.count * 4 + estimatedBytes(element)
        case .structure(let children): return children.reduce(0) { $0 + estimatedBytes($1) }
        }
    }

    static func unit(_ unit: TimeUnit) -> ThriftValue {
        let id: Int16 = unit == .millis ? 1 : unit == .micros ? 2 : 3
        return .structure(ThriftStruct([ThriftField(id, .structure(ThriftStruct()))]))
    }

    static func logical(_ id: Int16, _ inner: ThriftStruct = ThriftStruct()) -> ThriftStruct {
        ThriftStruct([ThriftField(id, .structure(inner))])
    }

    static func schemaElement(_ field: Field) throws(ParquetError) -> SchemaElement {
        var e = SchemaElement(name: field.name, repetition: field.nullable ? .optional : .required)
        switch field.type {
        case .boolean: e.type = .boolean
        case .int(let bits, let signed):
            guard [8, 16, 32, 64].contains(bits) else {
                throw ParquetError(.invalidInput, "int\(bits) is not a type")
            }
            e.type = bits == 64 ? .int64 : .int32
            if bits != 32 && bits != 64 || !signed {
                e.logicalType = logical(
                    10, ThriftStruct([ThriftField(1, .byte(Int8(bits))), ThriftField(2, .bool(signed))]))
                let converted: [Int: ConvertedType] =
                    signed
                    ? [8: .int8, 16: .int16, 32: .int32, 64: .int64]
                    : [8: .uint8, 16: .uint16, 32: .uint32, 64: .uint64]
                e.convertedType = converted[bits]
            }
        case .float: e.type = .float
        case .double: e.type = .double
        case .string:
            e.type = .byteArray
            e.logicalType = logical(1)
            e.convertedType = .utf8
        case .binary: e.type = .byteArray
        case .fixedBinary(let width):
            e.type = .fixedLenByteArray
            e.typeLength = width
        case .decimal(let precision, let scale):
            guard precision >= 1, scale >= 0, scale <= precision else {
                throw ParquetError(.invalidInput, "decimal(\(precision), \(scale)) is not valid")
            }
            // Values arrive unscaled in .int64 or big-endian .fixed.
            e.type = precision <= 18 ? .int64 : .fixedLenByteArray
            if precision > 18 { e.typeLength = decimalWidth(precision) }
            e.scale = scale
            e.precision = precision
            e.convertedType = .decimal
            e.logicalType = logical(
                5, ThriftStruct([ThriftField(1, .i32(Int32(scale))), ThriftField(2, .i32(Int32(precision)))]))
        case .date:
            e.type = .int32
            e.logicalType = logical(6)
            e.convertedType = .date
        case .time(let unit):
            e.type = unit == .millis ? .int32 : .int64
            e.logicalType = logical(
                7, ThriftStruct([ThriftField(1, .bool(true)), ThriftField(2, Self.unit(unit))]))
            e.convertedType = unit == .millis ? .timeMillis : unit == .micros ? .timeMicros : nil
        case .timestamp(let unit, let utc):
            e.type = .int64
            e.logicalType = logical(
                8, ThriftStruct([ThriftField(1, .bool(utc)), ThriftField(2, Self.unit(unit))]))
            if utc {
                e.convertedType =
                    unit == .millis ? .timestampMillis : unit == .micros ? .timestampMicros : nil
            }
        case .list, .structure:
            throw ParquetError(.unsupported, "writing nested (list and struct) columns is not supported yet")
        }
        return e
    }

    /// Bytes of a FIXED_LEN_BYTE_ARRAY decimal of this precision.
    static func decimalWidth(_ precision: Int) -> Int {
        var width = 1
        var maxDigits = 2.0
        while maxDigits < Double(precision) {
            width += 1
            maxDigits = ((Double(8 * width - 1) * 0.30102999566398119521)).rounded(.down)
        }
        return width
    }
}
