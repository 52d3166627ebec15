private let quote = UInt8(ascii: "\"")
/// ": " as a little-endian 16-bit load.
private let colonSpace = UInt16(littleEndian: 0x203A)
/// ", " as a little-endian 16-bit load.
private let commaSpace = UInt16(littleEndian: 0x202C)

/// The scanner's state for one document: a cursor over the input, the compiled schema, and the slot buffers
/// being filled. Recursive descent over objects and arrays the schema names; everything else is skipped
/// (but still checked to be well-formed, so a malformed record never passes as a row).
struct JSONParse {
    static let maximumDepth = 128

    let start: UnsafePointer<UInt8>
    var p: UnsafePointer<UInt8>
    let end: UnsafePointer<UInt8>
    let buffers: UnsafeMutablePointer<ScanBuffers>
    let plans: UnsafeMutablePointer<StructPlan>
    let columns: UnsafeMutablePointer<ColumnPlan>
    let names: UnsafeMutablePointer<UInt8>
    let table: UnsafeMutablePointer<Int16>
    var depth = 0

    init(
        start: UnsafePointer<UInt8>, count: Int, buffers: UnsafeMutablePointer<ScanBuffers>,
        schema: CompiledSchema
    ) {
        self.start = start
        self.p = start
        self.end = start + count
        self.buffers = buffers
        self.plans = schema.plans.baseAddress!
        self.columns = schema.columns.baseAddress!
        self.names = schema.names.baseAddress!
        self.table = schema.table.baseAddress!
    }

    @inline(__always)
    func fail(_ problem: ScanError.Problem) -> ScanError {
        ScanError(offset: p - start, problem: problem)
    }

    /// Reported at the bracket that opened one level too many (the cursor is just past it).
    @inline(never)
    func tooDeep() -> ScanError {
        ScanError(offset: p - start - 1, problem: .tooDeep)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        // Fast exits: already at a token, or one space before it (`json.dumps` writes ", " and ": ").
        guard p < end else { return }
        let c = p.pointee
        if c > 0x20 { return }
        if c == 0x20 && end - p >= 2 && p[1] > 0x20 {
            p += 1
            return
        }
        skipWhitespaceRun()
    }

    mutating func skipWhitespaceRun() {
        while p < end {
            let c = p.pointee
            guard c <= 0x20, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            p += 1
        }
    }

    // MARK: Objects

    /// Scans the members of an object (the cursor is just past its `{`) into the block of slots starting
    /// at `block`, one slot per column of `plan`.
    mutating func parseObject(plan planIndex: Int, block: Int) throws(ScanError) {
        depth += 1
        guard depth <= JSONParse.maximumDepth else { throw tooDeep() }
        let plan = plans[planIndex]
        skipWhitespace()
        guard p < end else { throw fail(.truncated) }
        if p.pointee == UInt8(ascii: "}") {
            p += 1
            depth -= 1
            return
        }
        var position = 0
        let cache = buffers.pointee.keyCache + planIndex * KeyCacheEntry.positions
        while true {
            guard p < end else { throw fail(.truncated) }
            guard p.pointee == quote else { throw fail(.expectedKey) }
            let local: Int
            let predicted = position < KeyCacheEntry.positions ? cache + position : nil
            if let predicted, let column = predictedKey(predicted) {
                // The same bytes as last time's (validated) key here, closing quote included: no scan.
                local = column
            } else {
                let key = try scanString()
                if let predicted, !key.escaped, key.count <= 16, end - key.start >= 8 {
                    let (first, last) = JSONParse.keyWords(key.start, key.count)
                    local = lookup(key.start, key.count, plan)
                    predicted.pointee = KeyCacheEntry(
                        length: key.count, column: local, first: first, last: last)
                } else {
                    local = key.escaped ? lookupEscaped(key, plan) : lookup(key.start, key.count, plan)
                }
            }
            position += 1
            if end - p >= 2 && UnsafeRawPointer(p).loadUnaligned(as: UInt16.self) == colonSpace {
                p += 2
            } else {
                skipWhitespace()
                guard p < end else { throw fail(.truncated) }
                guard p.pointee == UInt8(ascii: ":") else { throw fail(.expectedColon) }
                p += 1
            }
            skipWhitespace()
            guard p < end else { throw fail(.truncated) }
            if local >= 0 {
                _ = try parseValue(column: columns[plan.firstColumn + local], slot: block + local)
            } else if p.pointee == quote {
                _ = try scanString()  // the usual skipped value, without the general dispatch
            } else {
                try skipValue()
            }
            // `, "` (json.dumps) straight to the next key.
            if end - p >= 3 && UnsafeRawPointer(p).loadUnaligned(as: UInt16.self) == commaSpace
                && p[2] == quote
            {
                p += 2
                continue
            }
            guard try nextOrEnd(closing: UInt8(ascii: "}"), else: .expectedCommaOrBrace) else { break }
        }
        depth -= 1
    }

    /// When the key at the cursor (its opening quote) is byte for byte the one `entry` remembers, moves past
    /// its closing quote and returns the remembered column (-1: not in the schema); otherwise nil.
    @inline(__always)
    mutating func predictedKey(_ entry: UnsafeMutablePointer<KeyCacheEntry>) -> Int? {
        let length = entry.pointee.length
        let key = p + 1
        guard length >= 0, end - key > max(7, length) else { return nil }
        let (first, last) = JSONParse.keyWords(key, length)
        guard first == entry.pointee.first, last == entry.pointee.last, key[length] == quote else {
            return nil
        }
        p = key + length + 1
        return entry.pointee.column
    }

    /// A key of at most 16 bytes as two words: bytes 0..<8 and the last 8 (overlapping for 8–16 bytes); a
    /// shorter key is masked to its length. The caller guarantees 8 readable bytes from `key`.
    @inline(__always)
    static func keyWords(_ key: UnsafePointer<UInt8>, _ count: Int) -> (UInt64, UInt64) {
        let head = UnsafeRawPointer(key).loadUnaligned(as: UInt64.self)
        if count >= 8 {
            return (head, UnsafeRawPointer(key + count - 8).loadUnaligned(as: UInt64.self))
        }
        let mask: UInt64 = count == 0 ? 0 : ~0 >> UInt64(64 - 8 * count)
        return (UInt64(littleEndian: head) & mask, 0)
    }

    /// The column (local index) named by the key bytes, or -1.
    @inline(__always)
    func lookup(_ key: UnsafePointer<UInt8>, _ count: Int, _ plan: StructPlan) -> Int {
        let first = count > 0 ? key[0] : 0
        let last = count > 0 ? key[count - 1] : 0
        var probe = CompiledSchema.hash(length: count, first: first, last: last) & plan.tableMask
        while true {
            let entry = Int(table[plan.tableStart + probe])
            if entry == 0 { return -1 }
            let column = columns[plan.firstColumn + entry - 1]
            if column.nameLength == count && bytesEqual(key, names + column.nameStart, count) {
                return entry - 1
            }
            probe = (probe + 1) & plan.tableMask
        }
    }

    /// A key written with escapes (`"dur\u0061tion"`) is compared in its unescaped form.
    @inline(never)
    mutating func lookupEscaped(_ key: StringToken, _ plan: StructPlan) -> Int {
        let (offset, count) = unescape(key)
        return lookup(UnsafePointer(buffers.pointee.scratch + offset), count, plan)
    }

    @inline(__always)
    func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
            let y = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
            if x != y { return false }
            i += 8
        }
        while i < count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }
}
