/// One column of a ``ColumnBatch``: a typed vector with a validity mask, indexed by the batch's row number.
/// Booleans, integers and timestamps share one `Int64` buffer; strings are offsets and lengths into the
/// vector's own byte buffer; anything else (decimals, arrays, objects, the result of a row closure) is boxed
/// as ``Value``s, which every operator also accepts, more slowly.
///
/// ```swift
/// let v = ColumnVector(kind: .double, capacity: 4096)
/// v.setDouble(0, 12.5)
/// v.setNull(1)
/// v.value(at: 0)   // .double(12.5)
/// ```
final class ColumnVector: @unchecked Sendable {
    enum Kind: Sendable {
        case bool, int, double, timestamp, string, boxed
    }

    let kind: Kind
    let capacity: Int
    let valid: UnsafeMutablePointer<Bool>
    /// bool (0 or 1), int, timestamp.
    let ints: UnsafeMutablePointer<Int64>
    let doubles: UnsafeMutablePointer<Double>
    let starts: UnsafeMutablePointer<Int>
    let lengths: UnsafeMutablePointer<Int>
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var byteCapacity: Int
    private var byteCount = 0
    var boxed: [Value]

    init(kind: Kind, capacity: Int) {
        self.kind = kind
        self.capacity = capacity
        valid = .allocate(capacity: capacity)
        valid.initialize(repeating: false, count: capacity)
        let numeric = kind == .bool || kind == .int || kind == .timestamp
        ints = .allocate(capacity: numeric ? capacity : 0)
        doubles = .allocate(capacity: kind == .double ? capacity : 0)
        starts = .allocate(capacity: kind == .string ? capacity : 0)
        lengths = .allocate(capacity: kind == .string ? capacity : 0)
        byteCapacity = kind == .string ? capacity * 16 : 0
        bytes = .allocate(capacity: byteCapacity)
        boxed = kind == .boxed ? Array(repeating: .null, count: capacity) : []
    }

    deinit {
        valid.deallocate()
        ints.deallocate()
        doubles.deallocate()
        starts.deallocate()
        lengths.deallocate()
        bytes.deallocate()
    }

    /// The vector kind that holds a column of `type`.
    static func kind(for type: ColumnType) -> Kind {
        switch type {
        case .bool: .bool
        case .int: .int
        case .double: .double
        case .timestamp: .timestamp
        case .string: .string
        case .decimal, .array, .object: .boxed
        }
    }

    /// Forgets the string bytes of the previous batch (values are overwritten row by row).
    func reset() { byteCount = 0 }

    @inline(__always) func setNull(_ row: Int) {
        valid[row] = false
        if kind == .boxed { boxed[row] = .null }
    }

    @inline(__always) func setInt(_ row: Int, _ v: Int64) {
        valid[row] = true
        ints[row] = v
    }

    @inline(__always) func setDouble(_ row: Int, _ v: Double) {
        valid[row] = true
        doubles[row] = v
    }

    @inline(__always) func setBool(_ row: Int, _ v: Bool) {
        valid[row] = true
        ints[row] = v ? 1 : 0
    }

    @inline(__always) func setString(_ row: Int, _ source: UnsafeRawBufferPointer) {
        let n = source.count
        if byteCount + n > byteCapacity { growBytes(byteCount + n) }
        if n > 0 {
            (bytes + byteCount).update(from: source.bindMemory(to: UInt8.self).baseAddress!, count: n)
        }
        starts[row] = byteCount
        lengths[row] = n
        byteCount += n
        valid[row] = true
    }

    func setBoxed(_ row: Int, _ v: Value) {
        valid[row] = !v.isNull
        boxed[row] = v
    }

    @inline(never) private func growBytes(_ needed: Int) {
        var size = max(64, byteCapacity * 2)
        while size < needed { size *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        grown.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = size
    }

    /// A string row's bytes; valid until the vector is reset or written again.
    @inline(__always) func stringBytes(_ row: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes + starts[row], count: lengths[row])
    }

    /// The row as a ``Value`` (allocates for strings): what a row closure or the generic operators see.
    func value(at row: Int) -> Value {
        if kind == .boxed { return boxed[row] }
        guard valid[row] else { return .null }
        switch kind {
        case .bool: return .bool(ints[row] != 0)
        case .int: return .int(ints[row])
        case .timestamp: return .timestamp(ints[row])
        case .double: return .double(doubles[row])
        case .string: return .string(String(decoding: stringBytes(row), as: UTF8.self))
        case .boxed: return boxed[row]
        }
    }

    /// A vector of `kind` holding `value` in every one of `rows`.
    static func constant(_ value: Value, rows: Selection, capacity: Int) -> ColumnVector {
        let kind: Kind =
            switch value {
            case .bool: .bool
            case .int, .null: .int
            case .double: .double
            case .timestamp: .timestamp
            case .string: .string
            default: .boxed
            }
        let v = ColumnVector(kind: kind, capacity: capacity)
        for r in rows.rows {
            switch value {
            case .null: v.setNull(r)
            case .bool(let b): v.setBool(r, b)
            case .int(let x), .timestamp(let x): v.setInt(r, x)
            case .double(let x): v.setDouble(r, x)
            case .string(var s): s.withUTF8 { v.setString(r, UnsafeRawBufferPointer($0)) }
            default: v.setBoxed(r, value)
            }
        }
        return v
    }
}

/// The rows of a batch still alive after the filters so far, in order.
struct Selection: Sendable {
    var rows: [Int]

    static func all(_ count: Int) -> Selection { Selection(rows: Array(0..<count)) }
}
