/// What a slot holds after a scan.
@usableFromInline
enum SlotTag: UInt8 {
    case null = 0
    case bool, int, double, decimal, timestamp
    /// `a` = address of the first byte inside the input, `b` = length.
    case inputString
    /// `a` = offset into the scratch buffer, `b` = length (the string had escapes).
    case scratchString
    /// `a` = first entry in the element index, `b` = element count.
    case array
    /// `a` = first slot of the object's block.
    case object
}

/// One typed value: the scanner writes these, ``ScannedRecord`` reads them.
@usableFromInline
struct Slot {
    @usableFromInline var tag: SlotTag
    /// The payload: bool (0/1), int, double bits, decimal units, timestamp micros, string address/offset,
    /// element-index start, block start.
    @usableFromInline var a: Int64
    /// Second payload word: string length, element count, decimal scale.
    @usableFromInline var b: Int64

    @usableFromInline
    init(tag: SlotTag, a: Int64, b: Int64) {
        self.tag = tag
        self.a = a
        self.b = b
    }

    @usableFromInline static var null: Slot { Slot(tag: .null, a: 0, b: 0) }
}

extension Slot {
    // What a slot holds, as the accessors of ``ScannedRecord`` and ``ScannedElement`` return it: nil unless
    // the slot has that type (null, missing and wrong-typed fields all read as nil).

    @inlinable var bool: Bool? { tag == .bool ? a != 0 : nil }
    @inlinable var int: Int64? { tag == .int ? a : nil }
    @inlinable var double: Double? { tag == .double ? Double(bitPattern: UInt64(bitPattern: a)) : nil }
    @inlinable var decimal: DecimalValue? { tag == .decimal ? DecimalValue(units: a, scale: Int(b)) : nil }
    @inlinable var timestamp: Int64? { tag == .timestamp ? a : nil }

    /// A string slot's bytes (in the input, or in `scratch` when it had escapes), handed to `body`.
    @inlinable
    func withStringBytes<R>(scratch: UnsafePointer<UInt8>, _ body: (UnsafeRawBufferPointer) throws -> R)
        rethrows
        -> R?
    {
        switch tag {
        case .inputString:
            return try body(
                UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: Int(a)), count: Int(b)))
        case .scratchString:
            return try body(UnsafeRawBufferPointer(start: scratch + Int(a), count: Int(b)))
        default:
            return nil
        }
    }
}

/// The growable buffers behind a ``ScannedRecord``. Plain memory reached through a pointer so the scanner's
/// inner loop pays no reference counting or exclusivity checks; sized by the largest document seen, after
/// which scanning allocates nothing.
@usableFromInline
struct ScanBuffers {
    /// Slots: the top level's fields first, then a block per nested object and per array element.
    @usableFromInline var slots: UnsafeMutablePointer<Slot>
    var slotCount = 0
    var slotCapacity: Int
    /// Each array's element blocks, contiguous per array (`-1` is a null element).
    @usableFromInline var elements: UnsafeMutablePointer<Int>
    var elementCount = 0
    var elementCapacity: Int
    /// Element blocks of the arrays being scanned, a stack: nested arrays interleave their blocks, so an
    /// array's entries are gathered here and copied to `elements` contiguously when it closes.
    var pending: UnsafeMutablePointer<Int>
    var pendingCount = 0
    var pendingCapacity: Int
    /// Unescaped strings.
    @usableFromInline var scratch: UnsafeMutablePointer<UInt8>
    var scratchCount = 0
    var scratchCapacity: Int

    /// Key-order prediction, `KeyCache.positions` entries per struct plan: records of one stream write
    /// their keys in the same order, so the key at position k is checked against the one seen there last
    /// time (length and up to 16 bytes, two word compares) before any hashing.
    var keyCache: UnsafeMutablePointer<KeyCacheEntry>
    var keyCacheCount: Int

    init(slotCapacity: Int, plans: Int) {
        self.keyCacheCount = max(1, plans) * KeyCacheEntry.positions
        self.keyCache = .allocate(capacity: keyCacheCount)
        keyCache.initialize(repeating: .empty, count: keyCacheCount)
        self.slotCapacity = max(16, slotCapacity)
        self.slots = .allocate(capacity: self.slotCapacity)
        self.elementCapacity = 16
        self.elements = .allocate(capacity: elementCapacity)
        self.pendingCapacity = 16
        self.pending = .allocate(capacity: pendingCapacity)
        self.scratchCapacity = 256
        self.scratch = .allocate(capacity: scratchCapacity)
    }

    func deallocate() {
        keyCache.deallocate()
        slots.deallocate()
        elements.deallocate()
        pending.deallocate()
        scratch.deallocate()
    }

    /// Starts a new document: `topLevel` null slots, everything else empty.
    @inline(__always)
    mutating func reset(topLevel: Int) {
        if topLevel > slotCapacity { Self.grow(&slots, &slotCapacity, to: topLevel, count: 0) }
        for i in 0..<topLevel { slots[i] = .null }
        slotCount = topLevel
        elementCount = 0
        pendingCount = 0
        scratchCount = 0
    }

    /// Appends `count` null slots and returns the first one's index.
    @inline(__always)
    mutating func allocateBlock(_ count: Int) -> Int {
        let start = slotCount
        if start + count > slotCapacity { Self.grow(&slots, &slotCapacity, to: start + count, count: start) }
        for i in start..<(start + count) { slots[i] = .null }
        slotCount = start + count
        return start
    }

    @inline(__always)
    mutating func pushPending(_ block: Int) {
        if pendingCount == pendingCapacity {
            Self.grow(&pending, &pendingCapacity, to: pendingCount + 1, count: pendingCount)
        }
        pending[pendingCount] = block
        pendingCount += 1
    }

    /// Moves the pending entries from `mark` on into `elements`; returns where they start.
    @inline(__always)
    mutating func commitPending(from mark: Int) -> Int {
        let n = pendingCount - mark
        if elementCount + n > elementCapacity {
            Self.grow(&elements, &elementCapacity, to: elementCount + n, count: elementCount)
        }
        let start = elementCount
        (elements + start).update(from: pending + mark, count: n)
        elementCount += n
        pendingCount = mark
        return start
    }

    /// Reserves `count` scratch bytes and returns their offset (the caller fills and then sets the count).
    @inline(__always)
    mutating func reserveScratch(_ count: Int) -> Int {
        if scratchCount + count > scratchCapacity {
            Self.grow(&scratch, &scratchCapacity, to: scratchCount + count, count: scratchCount)
        }
        return scratchCount
    }

    private static func grow<T>(
        _ buffer: inout UnsafeMutablePointer<T>, _ capacity: inout Int, to needed: Int, count: Int
    ) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let fresh = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
        fresh.moveInitialize(from: buffer, count: count)
        buffer.deallocate()
        buffer = fresh
        capacity = newCapacity
    }
}

/// Owns a ``ScanBuffers`` for its lifetime.
@usableFromInline
final class ScanStorage {
    @usableFromInline let buffers: UnsafeMutablePointer<ScanBuffers>

    init(slotCapacity: Int, plans: Int) {
        buffers = .allocate(capacity: 1)
        buffers.initialize(to: ScanBuffers(slotCapacity: slotCapacity, plans: plans))
    }

    deinit {
        buffers.pointee.deallocate()
        buffers.deinitialize(count: 1)
        buffers.deallocate()
    }
}

/// A key seen at one position of one struct: its length, its bytes as two (possibly overlapping) words,
/// and the column it named (-1: not in the schema).
struct KeyCacheEntry {
    static let positions = 32
    static let empty = KeyCacheEntry(length: -1, column: -1, first: 0, last: 0)

    var length: Int
    var column: Int
    var first: UInt64
    var last: UInt64
}
