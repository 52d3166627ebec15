/// Writes a FlatBuffers buffer front to back, just enough for Arrow's IPC schema message: tables of
/// scalars and offsets, strings, and vectors of tables. A parent is written before its children, so every
/// offset points forward (FlatBuffers offsets are unsigned); each table's vtable sits just before it.
///
/// ```swift
/// let buffer = FlatBufferWriter.build(.table([.int16(4), .offset(.string("x"))]))
/// ```
struct FlatBufferWriter {
    /// One field of a table, in the schema's field order; `.absent` leaves the field out.
    enum Slot {
        case absent
        case bool(Bool)
        case uint8(UInt8)
        case int16(Int16)
        case int32(Int32)
        case int64(Int64)
        case offset(Object)

        var size: Int {
            switch self {
            case .absent: 0
            case .bool, .uint8: 1
            case .int16: 2
            case .int32, .offset: 4
            case .int64: 8
            }
        }
    }

    indirect enum Object {
        case table([Slot])
        case string(String)
        case vector([Object])
    }

    private(set) var bytes: [UInt8] = []

    /// The finished buffer: the root offset, then `root` and everything below it.
    static func build(_ root: Object) -> [UInt8] {
        var writer = FlatBufferWriter()
        writer.bytes = [0, 0, 0, 0]
        let position = writer.write(root)
        writer.patch(0, UInt32(position))
        writer.align(8)
        return writer.bytes
    }

    private mutating func align(_ alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func patch(_ at: Int, _ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for k in 0..<4 { bytes[at + k] = raw[k] }
        }
    }

    /// Writes `object` and its children; returns where it starts.
    private mutating func write(_ object: Object) -> Int {
        switch object {
        case .string(let text):
            align(4)
            let position = bytes.count
            let utf8 = Array(text.utf8)
            append(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
            bytes.append(0)
            return position
        case .vector(let elements):
            align(4)
            let position = bytes.count
            append(UInt32(elements.count))
            for _ in elements { append(UInt32(0)) }
            for (k, element) in elements.enumerated() {
                let child = write(element)
                let at = position + 4 + 4 * k
                patch(at, UInt32(child - at))
            }
            return position
        case .table(let slots):
            // Inline layout: the vtable offset, then each present field at its natural alignment.
            var layout: [Int] = []
            var size = 4
            for slot in slots {
                let width = slot.size
                guard width > 0 else {
                    layout.append(0)
                    continue
                }
                size = (size + width - 1) / width * width
                layout.append(size)
                size += width
            }
            align(2)
            let vtable = bytes.count
            append(UInt16(4 + 2 * slots.count))
            append(UInt16(size))
            for offset in layout { append(UInt16(offset)) }
            align(8)
            let table = bytes.count
            append(Int32(table - vtable))
            var pending: [(at: Int, object: Object)] = []
            for (slot, offset) in zip(slots, layout) where offset > 0 {
                while bytes.count < table + offset { bytes.append(0) }
                switch slot {
                case .absent: break
                case .bool(let value): bytes.append(value ? 1 : 0)
                case .uint8(let value): bytes.append(value)
                case .int16(let value): append(value)
                case .int32(let value): append(value)
                case .int64(let value): append(value)
                case .offset(let object):
                    pending.append((bytes.count, object))
                    append(UInt32(0))
                }
            }
            while bytes.count < table + size { bytes.append(0) }
            for (at, object) in pending {
                let child = write(object)
                patch(at, UInt32(child - at))
            }
            return table
        }
    }
}
