/// A ``Schema`` flattened for the scanner's inner loop: every struct (the top level, each nested object,
/// each array's element) becomes a ``StructPlan`` over a contiguous run of ``ColumnPlan``s, with a tiny
/// open-addressing table keyed by (name length, first byte, last byte) so a key is found with one probe
/// and one short compare, and an unknown key is usually rejected without comparing bytes at all.
///
/// Immutable after `init`; the raw buffers are owned by this object and freed in `deinit`.
final class CompiledSchema: @unchecked Sendable {
    let schema: Schema
    let plans: UnsafeMutableBufferPointer<StructPlan>
    let columns: UnsafeMutableBufferPointer<ColumnPlan>
    let names: UnsafeMutableBufferPointer<UInt8>
    let table: UnsafeMutableBufferPointer<Int16>
    /// Column names as Swift strings, by global column index (for materialising objects).
    let columnNames: [String]

    init(_ schema: Schema) {
        var builder = Builder()
        _ = builder.addStruct(schema.fields)
        self.schema = schema
        self.plans = .allocate(capacity: builder.plans.count)
        _ = plans.initialize(from: builder.plans)
        self.columns = .allocate(capacity: max(1, builder.columns.count))
        _ = columns.initialize(from: builder.columns)
        self.names = .allocate(capacity: max(1, builder.names.count))
        _ = names.initialize(from: builder.names)
        self.table = .allocate(capacity: max(1, builder.table.count))
        _ = table.initialize(from: builder.table)
        self.columnNames = builder.columnNames
    }

    deinit {
        plans.deallocate()
        columns.deallocate()
        names.deallocate()
        table.deallocate()
    }

    /// The key hash shared by the table builder and the scanner.
    @inline(__always)
    static func hash(length: Int, first: UInt8, last: UInt8) -> Int {
        var h = UInt32(truncatingIfNeeded: length) &* 0x9E37_79B1
        h ^= UInt32(first) &* 0x85EB_CA77
        h ^= UInt32(last) &* 0xC2B2_AE3D
        return Int(truncatingIfNeeded: h ^ (h >> 15))
    }

    private struct Builder {
        var plans: [StructPlan] = []
        var columns: [ColumnPlan] = []
        var names: [UInt8] = []
        var table: [Int16] = []
        var columnNames: [String] = []

        mutating func addStruct(_ fields: [Column]) -> Int {
            let planIndex = plans.count
            let first = columns.count
            plans.append(
                StructPlan(firstColumn: first, columnCount: fields.count, tableStart: 0, tableMask: 0))
            // Reserve this struct's columns first so they stay contiguous; children are appended after.
            for field in fields {
                let utf8 = Array(field.name.utf8)
                columns.append(
                    ColumnPlan(
                        nameStart: names.count, nameLength: utf8.count, kind: .bool, scale: 0, child: -1,
                        elementIsObject: false))
                names.append(contentsOf: utf8)
                columnNames.append(field.name)
            }
            for (offset, field) in fields.enumerated() {
                var column = columns[first + offset]
                switch field.type {
                case .bool: column.kind = .bool
                case .int: column.kind = .int
                case .double: column.kind = .double
                case .string: column.kind = .string
                case .timestamp: column.kind = .timestamp
                case .decimal(let scale):
                    column.kind = .decimal
                    column.scale = scale
                case .object(let subfields):
                    column.kind = .object
                    column.child = addStruct(subfields)
                case .array(let element):
                    column.kind = .array
                    if case .object(let subfields) = element {
                        column.elementIsObject = true
                        column.child = addStruct(subfields)
                    } else {
                        // A scalar (or nested array) element is a one-column struct: its column 0.
                        column.child = addStruct([Column("element", element)])
                    }
                }
                columns[first + offset] = column
            }
            // The lookup table: a power of two at least 4× the field count, linear probing. On duplicate
            // names the first column wins (the later one is never filled).
            var size = 8
            while size < fields.count * 4 { size <<= 1 }
            let start = table.count
            table.append(contentsOf: repeatElement(0, count: size))
            for offset in fields.indices {
                let column = columns[first + offset]
                let nameBytes = names[column.nameStart..<(column.nameStart + column.nameLength)]
                let h = CompiledSchema.hash(
                    length: column.nameLength, first: nameBytes.first ?? 0, last: nameBytes.last ?? 0)
                var probe = h & (size - 1)
                var duplicate = false
                while table[start + probe] != 0 {
                    let other = columns[first + Int(table[start + probe]) - 1]
                    if names[other.nameStart..<(other.nameStart + other.nameLength)].elementsEqual(nameBytes)
                    {
                        duplicate = true
                        break
                    }
                    probe = (probe + 1) & (size - 1)
                }
                if !duplicate { table[start + probe] = Int16(offset + 1) }
            }
            plans[planIndex].tableStart = start
            plans[planIndex].tableMask = size - 1
            return planIndex
        }
    }
}

/// One struct level of a compiled schema.
struct StructPlan {
    var firstColumn: Int
    var columnCount: Int
    var tableStart: Int
    var tableMask: Int
}

/// One column of a compiled schema.
struct ColumnPlan {
    var nameStart: Int
    var nameLength: Int
    var kind: ColumnKind
    /// Fraction digits of a decimal column.
    var scale: Int
    /// For `.object`: the plan of its fields. For `.array`: the plan of one element (see `elementIsObject`).
    var child: Int
    /// For `.array`: elements are objects scanned with the `child` plan; otherwise each element is the single
    /// column 0 of the `child` plan.
    var elementIsObject: Bool
}

enum ColumnKind: UInt8 {
    case bool, int, double, string, timestamp, decimal, array, object
}
