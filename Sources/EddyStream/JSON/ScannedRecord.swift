/// Typed slots for one scanned JSON document, filled by ``JSONScanner/scan(_:into:)`` and reused for the
/// next document: once its buffers have grown to the largest document seen, scanning allocates nothing.
///
/// Fields are addressed by their index in the ``Schema`` (look indices up once, with
/// ``Schema/index(of:)``, outside the loop). Each accessor returns nil when the field is null — missing,
/// JSON `null`, or of the wrong type, as in Spark's `from_json`.
///
/// ```swift
/// let schema: Schema = [Column("location", .string), Column("duration", .double),
///                       Column("traffic_count", .int)]
/// let scanner = JSONScanner(schema: schema)
/// var record = ScannedRecord(schema: schema)
/// for value in values {                       // UnsafeRawBufferPointer per Kafka record
///     if let failure = scanner.scan(value, into: &record) { deadLetter(value, failure); continue }
///     guard let duration = record.double(1) else { continue }   // filter nulls, like the seed
///     record.withStringBytes(0) { location in totals.add(location, duration, record.int(2) ?? 0) }
/// }
/// ```
///
/// Arrays (the sales order's `products`) are read with ``count(_:)`` and ``element(_:_:)``, which returns a
/// view of the same kind over the element's fields (for an array of scalars, a one-field view: field 0 is
/// the element):
///
/// ```swift
/// for i in 0..<(order.count(products) ?? 0) {
///     let product = order.element(products, i)
///     let quantity = product.int(1), price = product.decimal(2)
/// }
/// ```
///
/// A nested object field is read through the view ``object(_:)`` returns; a `null` element of an array of
/// objects reads as all-null with ``isNullElement`` set. ``value(_:)`` materialises any field as a
/// ``Value`` (objects as `.object([name: value])`).
///
/// Make one record per thread (``JSONScanner/makeRecord()`` or ``init(schema:)``) and keep reusing it: it
/// also remembers each struct's key order, which makes the next scan faster.
///
/// A `ScannedRecord` is a reusable buffer, not a value: copies and element views share it, and what they
/// read is valid only until the next scan into it (strings also point into the scanned input, which must
/// still be alive). Materialise with ``value(_:)`` / ``row()`` or ``string(_:)`` to keep anything.
public struct ScannedRecord {
    @usableFromInline let storage: ScanStorage
    let compiled: CompiledSchema
    /// The struct plan this view reads (0: the top level).
    let plan: Int
    /// First slot of this view's block; -1 for a null array element (every field reads as null).
    @usableFromInline let base: Int
    /// The number of fields of this record (or element view).
    public let fieldCount: Int

    /// An empty record for documents scanned with `schema`.
    public init(schema: Schema) {
        self.init(compiled: CompiledSchema(schema))
    }

    init(compiled: CompiledSchema) {
        self.compiled = compiled
        self.storage = ScanStorage(slotCapacity: compiled.schema.count, plans: compiled.plans.count)
        self.plan = 0
        self.base = 0
        self.fieldCount = compiled.plans[0].columnCount
        storage.buffers.pointee.reset(topLevel: compiled.schema.count)
    }

    init(view storage: ScanStorage, compiled: CompiledSchema, plan: Int, base: Int) {
        self.storage = storage
        self.compiled = compiled
        self.plan = plan
        self.base = base
        self.fieldCount = compiled.plans[plan].columnCount
    }

    /// The names of this record's fields, in order.
    public var fieldNames: [String] {
        let first = compiled.plans[plan].firstColumn
        return (0..<fieldCount).map { compiled.columnNames[first + $0] }
    }

    /// True for the view of a `null` element in an array of objects.
    public var isNullElement: Bool { base < 0 }

    @inlinable @inline(__always)
    func slot(_ field: Int) -> Slot {
        precondition(field >= 0 && field < fieldCount, "field index out of range")
        if base < 0 { return .null }
        return storage.buffers.pointee.slots[base + field]
    }

    @inline(__always)
    func column(_ field: Int) -> ColumnPlan {
        compiled.columns[compiled.plans[plan].firstColumn + field]
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

    /// A string field's UTF-8 bytes, unescaped, without copying them; nil when the field is null. The bytes
    /// are valid only inside `body`, and only until the next scan and while the input buffer lives.
    @inlinable
    public func withStringBytes<R>(_ field: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R?
    {
        try slot(field).withStringBytes(scratch: UnsafePointer(storage.buffers.pointee.scratch), body)
    }

    /// A string field as a `String` (allocates unless it is short).
    public func string(_ field: Int) -> String? {
        withStringBytes(field) { String(decoding: $0, as: UTF8.self) }
    }

    /// The number of elements of an array field; nil when the field is null.
    @inlinable
    public func count(_ field: Int) -> Int? {
        let s = slot(field)
        return s.tag == .array ? Int(s.b) : nil
    }

    /// Element `i` of an array field, as a view: an object element's fields, or for an array of scalars a
    /// one-field view whose field 0 is the element. Precondition: `i < count(field)!`.
    public func element(_ field: Int, _ i: Int) -> ScannedRecord {
        let s = slot(field)
        precondition(
            s.tag == .array && i >= 0 && i < Int(s.b), "element \(i) of field \(field) does not exist")
        let block = storage.buffers.pointee.elements[Int(s.a) + i]
        return ScannedRecord(view: storage, compiled: compiled, plan: column(field).child, base: block)
    }

    /// A nested object field's fields, as a view; nil when the field is null.
    public func object(_ field: Int) -> ScannedRecord? {
        let s = slot(field)
        guard s.tag == .object else { return nil }
        return ScannedRecord(view: storage, compiled: compiled, plan: column(field).child, base: Int(s.a))
    }
}
