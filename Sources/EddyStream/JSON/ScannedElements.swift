/// The elements of one array field of a ``ScannedRecord``, read in place: plain pointers into the record's
/// buffers, so walking them costs no reference counting (``ScannedRecord/element(_:_:)`` returns a full view
/// per element, which retains the record's storage). For the hot loops of compiled paths:
///
/// ```swift
/// if let products = order.elements(productsField) {
///     for i in 0..<products.count {
///         let product = products[i]
///         let quantity = product.int(1), price = product.decimal(2)
///     }
/// }
/// ```
///
/// Like the record itself this is a window on a reusable buffer, not a value: it is valid only while the
/// record it came from is alive and until the next scan into it. Each element reads its fields as the
/// record does (nil when null, missing or of the wrong type); nested objects and arrays inside an element
/// are read through ``ScannedRecord/element(_:_:)`` instead.
public struct ScannedElements {
    /// The slot block of each element (`-1` for a `null` element).
    @usableFromInline let blocks: UnsafePointer<Int>
    @usableFromInline let slots: UnsafePointer<Slot>
    @usableFromInline let scratch: UnsafePointer<UInt8>
    /// The number of elements.
    public let count: Int
    /// The number of fields of each element (1 for an array of scalars: field 0 is the element).
    public let fieldCount: Int

    @usableFromInline
    init(
        blocks: UnsafePointer<Int>, slots: UnsafePointer<Slot>, scratch: UnsafePointer<UInt8>, count: Int,
        fieldCount: Int
    ) {
        self.blocks = blocks
        self.slots = slots
        self.scratch = scratch
        self.count = count
        self.fieldCount = fieldCount
    }

    /// Element `i`. Precondition: `0 <= i < count`.
    @inlinable
    public subscript(_ i: Int) -> ScannedElement {
        precondition(i >= 0 && i < count, "element \(i) does not exist (the array has \(count))")
        let block = blocks[i]
        return ScannedElement(
            slots: block < 0 ? nil : slots + block, scratch: scratch, fieldCount: fieldCount)
    }
}

/// One element of a ``ScannedElements``: its fields by index, as ``ScannedRecord`` reads them.
public struct ScannedElement {
    /// The element's first slot; nil for a `null` element (every field reads as null).
    @usableFromInline let slots: UnsafePointer<Slot>?
    @usableFromInline let scratch: UnsafePointer<UInt8>
    public let fieldCount: Int

    @usableFromInline
    init(slots: UnsafePointer<Slot>?, scratch: UnsafePointer<UInt8>, fieldCount: Int) {
        self.slots = slots
        self.scratch = scratch
        self.fieldCount = fieldCount
    }

    /// True for a `null` element of an array of objects.
    @inlinable
    public var isNullElement: Bool { slots == nil }

    @inlinable @inline(__always)
    func slot(_ field: Int) -> Slot {
        precondition(field >= 0 && field < fieldCount, "field index out of range")
        guard let slots else { return .null }
        return slots[field]
    }

    @inlinable
    public func isNull(_ field: Int) -> Bool { slot(field).tag == .null }

    @inlinable
    public func bool(_ field: Int) -> Bool? {
        slot(field).bool
    }

    @inlinable
    public func int(_ field: Int) -> Int64? {
        slot(field).int
    }

    @inlinable
    public func double(_ field: Int) -> Double? {
        slot(field).double
    }

    @inlinable
    public func decimal(_ field: Int) -> DecimalValue? {
        slot(field).decimal
    }

    /// Microseconds since 1970-01-01T00:00:00Z.
    @inlinable
    public func timestamp(_ field: Int) -> Int64? {
        slot(field).timestamp
    }

    /// A string field's UTF-8 bytes, without copying; nil when the field is null. Valid only inside `body`.
    @inlinable
    public func withStringBytes<R>(_ field: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R?
    {
        try slot(field).withStringBytes(scratch: scratch, body)
    }
}

extension ScannedRecord {
    /// The elements of an array field, read in place (see ``ScannedElements``); nil when the field is null.
    @inlinable
    public func elements(_ field: Int) -> ScannedElements? {
        let s = slot(field)
        guard s.tag == .array else { return nil }
        let buffers = storage.buffers
        return ScannedElements(
            blocks: UnsafePointer(buffers.pointee.elements + Int(s.a)),
            slots: UnsafePointer(buffers.pointee.slots),
            scratch: UnsafePointer(buffers.pointee.scratch), count: Int(s.b),
            fieldCount: elementFieldCount(field))
    }

    @usableFromInline
    func elementFieldCount(_ field: Int) -> Int {
        compiled.plans[column(field).child].columnCount
    }
}
