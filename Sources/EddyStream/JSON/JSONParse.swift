/// Why the scanner stopped; converted to a ``DecodeFailure`` (with its text) only at the top, so the inner
/// loop throws a small value and builds no strings.
struct ScanError: Error {
    enum Problem: UInt8 {
        case truncated, expectedKey, expectedColon, expectedCommaOrBrace, expectedCommaOrBracket
        case unexpectedByte, badLiteral, badNumber, badEscape, controlCharacterInString, tooDeep
        case trailingCharacters, invalidUTF8
    }
    var offset: Int
    var problem: Problem

    var detail: String {
        switch problem {
        case .truncated: "document ends early"
        case .expectedKey: "expected a quoted key"
        case .expectedColon: "expected ':' after a key"
        case .expectedCommaOrBrace: "expected ',' or '}'"
        case .expectedCommaOrBracket: "expected ',' or ']'"
        case .unexpectedByte: "unexpected character where a value should start"
        case .badLiteral: "misspelled true, false or null"
        case .badNumber: "invalid number"
        case .badEscape: "invalid escape sequence in a string"
        case .controlCharacterInString: "unescaped control character in a string"
        case .tooDeep: "nesting deeper than \(JSONParse.maximumDepth) levels"
        case .trailingCharacters: "characters after the top-level object"
        case .invalidUTF8: "invalid UTF-8"
        }
    }
}

/// A scanned string: where its content is in the input and whether it holds escapes.
struct StringToken {
    var start: UnsafePointer<UInt8>
    var count: Int
    var escaped: Bool
}

private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")
private let ones: UInt64 = 0x0101_0101_0101_0101
private let highs: UInt64 = 0x8080_8080_8080_8080
private let quoteWord: UInt64 = 0x2222_2222_2222_2222
private let backslashWord: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
private let spaceWord: UInt64 = 0x2020_2020_2020_2020
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
            skipWhitespace()
            guard p < end else { throw fail(.truncated) }
            let c = p.pointee
            p += 1
            if c == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            if c == UInt8(ascii: "}") { break }
            p -= 1
            throw fail(.expectedCommaOrBrace)
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

    // MARK: Values the schema names

    /// Scans one value (the cursor is at its first byte) for `column` into `slot`. Returns false when the
    /// value has the wrong type for the column: it is then skipped and the slot left as it was — Spark keeps
    /// the field null (or, for a repeated key, its earlier value). JSON `null` sets the slot to null.
    mutating func parseValue(column: ColumnPlan, slot: Int) throws(ScanError) -> Bool {
        let c = p.pointee
        if c == UInt8(ascii: "n") {
            try expectLiteral(0x6C6C_756E, length: 4)  // "null"
            buffers.pointee.slots[slot] = .null
            return true
        }
        switch column.kind {
        case .int:
            guard c == UInt8(ascii: "-") || c &- UInt8(ascii: "0") < 10 else { return try mismatch() }
            // Spark IntegerType/LongType take only VALUE_NUMBER_INT: `4.5`, `4.0` and `4e0` are null.
            if let short = scanShortNumber() {
                guard short.fractionDigits < 0 else { return false }
                buffers.pointee.slots[slot] = Slot(tag: .int, a: short.mantissa, b: 0)
                return true
            }
            guard let value = try scanNumber().int64 else { return false }
            buffers.pointee.slots[slot] = Slot(tag: .int, a: value, b: 0)
            return true

        case .double:
            if c == UInt8(ascii: "-") || c &- UInt8(ascii: "0") < 10 {
                let value: Double
                if let short = scanShortNumber() {
                    // ≤ 15 digits and ≤ 15 fraction digits: mantissa and 10^k are exact doubles, so one
                    // division rounds correctly. (-0 keeps its sign through the negation.)
                    let magnitude = Double(short.mantissa.magnitude)
                    let scaled =
                        short.fractionDigits > 0
                        ? magnitude / JSONParse.exactPowerOfTen(short.fractionDigits) : magnitude
                    value = short.negative ? -scaled : scaled
                } else {
                    value = try scanNumber().double
                }
                buffers.pointee.slots[slot] = Slot(tag: .double, a: Int64(bitPattern: value.bitPattern), b: 0)
                return true
            }
            if JSONParse.startsNonFinite(c) { return try parseNonFinite(column: column, slot: slot) }
            guard c == quote else { return try mismatch() }
            // Spark DoubleType accepts only the non-numeric spellings as strings; "12.5" stays null.
            let text = try scanString()
            guard let value = withContent(text, { JSONParse.nonNumericDouble($0, $1) }) else { return false }
            buffers.pointee.slots[slot] = Slot(tag: .double, a: Int64(bitPattern: value.bitPattern), b: 0)
            return true

        case .string:
            if c == quote {
                let text = try scanString()
                if text.escaped {
                    let (offset, count) = unescape(text)
                    buffers.pointee.slots[slot] = Slot(tag: .scratchString, a: Int64(offset), b: Int64(count))
                } else {
                    buffers.pointee.slots[slot] = Slot(
                        tag: .inputString, a: Int64(Int(bitPattern: text.start)), b: Int64(text.count))
                }
                return true
            }
            // Spark's StringType never fails: any other value becomes its exact JSON text (`4`, `true`,
            // `{"a": 1}`), as written in the input.
            let valueStart = p
            try skipValue()
            buffers.pointee.slots[slot] = Slot(
                tag: .inputString, a: Int64(Int(bitPattern: valueStart)), b: Int64(p - valueStart))
            return true

        case .bool:
            if c == UInt8(ascii: "t") {
                try expectLiteral(0x6575_7274, length: 4)  // "true"
                buffers.pointee.slots[slot] = Slot(tag: .bool, a: 1, b: 0)
                return true
            }
            if c == UInt8(ascii: "f") {
                try expectFalse()
                buffers.pointee.slots[slot] = Slot(tag: .bool, a: 0, b: 0)
                return true
            }
            return try mismatch()

        case .timestamp:
            if c == quote {
                let text = try scanString()
                guard let micros = withContent(text, { JSONTimestamp.micros($0, $1) }) else { return false }
                buffers.pointee.slots[slot] = Slot(tag: .timestamp, a: micros, b: 0)
                return true
            }
            guard c == UInt8(ascii: "-") || c &- UInt8(ascii: "0") < 10 else { return try mismatch() }
            // Spark TimestampType reads a JSON integer as seconds since the epoch; a fraction is null.
            guard let seconds = try scanNumber().int64 else { return false }
            let (micros, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
            guard !overflow else { return false }
            buffers.pointee.slots[slot] = Slot(tag: .timestamp, a: micros, b: 0)
            return true

        case .decimal:
            let scale = column.scale
            let units: Int64?
            if c == UInt8(ascii: "-") || c &- UInt8(ascii: "0") < 10, let short = scanShortNumber() {
                units = Self.rescale(short.mantissa, from: max(short.fractionDigits, 0), to: scale)
            } else if c == UInt8(ascii: "-") || c &- UInt8(ascii: "0") < 10 {
                let number = try scanNumber()
                if number.isInteger && !number.truncated && scale >= 0 && scale <= 18 {
                    units = number.int64.flatMap { Self.scaleUp($0, by: scale) }
                } else {
                    units = JSONNumber.decimalUnits(number.start, number.end - number.start, scale: scale)
                }
            } else if c == quote {
                // Spark parses a string for a DecimalType too (`"12.34"`), with BigDecimal syntax.
                let text = try scanString()
                units = withContent(text) {
                    JSONNumber.decimalUnits($0, $1, scale: scale, allowGroupingCommas: true)
                }
            } else {
                return try mismatch()
            }
            guard let units else { return false }
            buffers.pointee.slots[slot] = Slot(tag: .decimal, a: units, b: Int64(scale))
            return true

        case .object:
            guard c == UInt8(ascii: "{") else { return try mismatch() }
            p += 1
            let block = buffers.pointee.allocateBlock(plans[column.child].columnCount)
            try parseObject(plan: column.child, block: block)
            buffers.pointee.slots[slot] = Slot(tag: .object, a: Int64(block), b: 0)
            return true

        case .array:
            guard c == UInt8(ascii: "[") else { return try mismatch() }
            return try parseArray(column: column, slot: slot)
        }
    }

    /// Spark reads JSON with `allowNonNumericNumbers` on (its default), so the bare tokens `NaN`,
    /// `Infinity`, `-Infinity`, `+Infinity`, `INF`, `+INF`, `-INF` are numbers — and Python's `json.dumps`
    /// writes the first three for float nan/inf. A double column takes their value, a string column their
    /// text; for any other column they are the wrong type (null). Called for the unsigned spellings; the
    /// negative ones arrive as numbers from ``scanNumber()``.
    @inline(never)
    mutating func parseNonFinite(column: ColumnPlan, slot: Int) throws(ScanError) -> Bool {
        let tokenStart = p
        guard let value = scanNonFinite() else { throw fail(.unexpectedByte) }
        switch column.kind {
        case .double:
            buffers.pointee.slots[slot] = Slot(tag: .double, a: Int64(bitPattern: value.bitPattern), b: 0)
            return true
        case .string:
            buffers.pointee.slots[slot] = Slot(
                tag: .inputString, a: Int64(Int(bitPattern: tokenStart)), b: Int64(p - tokenStart))
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func startsNonFinite(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "N") || c == UInt8(ascii: "I") || c == UInt8(ascii: "+")
    }

    /// One of the non-finite tokens at the cursor (moving past it), or nil with the cursor unmoved.
    mutating func scanNonFinite() -> Double? {
        var q = p
        var negative = false
        if q.pointee == UInt8(ascii: "-") || q.pointee == UInt8(ascii: "+") {
            negative = q.pointee == UInt8(ascii: "-")
            q += 1
        }
        func matches(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard end - q >= n else { return false }
            for i in 0..<n where q[i] != word.utf8Start[i] { return false }
            return true
        }
        let value: Double
        if q == p && matches("NaN") {
            q += 3
            value = .nan
        } else if matches("Infinity") {
            q += 8
            value = negative ? -.infinity : .infinity
        } else if matches("INF") {
            q += 3
            value = negative ? -.infinity : .infinity
        } else {
            return nil
        }
        p = q
        return value
    }

    /// The value does not fit the column: skip it, report a mismatch. (`NaN`, `Infinity`, `+INF` … are
    /// skipped like any number; `-Infinity` / `-INF` come through ``scanNumber()``.)
    @inline(__always)
    mutating func mismatch() throws(ScanError) -> Bool {
        try skipValue()
        return false
    }

    /// `mantissa × 10^-from` expressed with `to` fraction digits, rounded HALF_UP (away from zero on a
    /// tie, like Spark's `Decimal.set`); nil on overflow.
    @inline(__always)
    static func rescale(_ mantissa: Int64, from: Int, to scale: Int) -> Int64? {
        if scale >= from { return scaleUp(mantissa, by: scale - from) }
        if from - scale > 18 { return 0 }  // |mantissa| < 10^15: less than half of the divisor
        var divisor: Int64 = 1
        for _ in 0..<(from - scale) { divisor &*= 10 }  // from ≤ 15: no overflow
        let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
        if remainder.magnitude * 2 >= divisor.magnitude { return quotient + (mantissa < 0 ? -1 : 1) }
        return quotient
    }

    @inline(__always)
    static func scaleUp(_ value: Int64, by scale: Int) -> Int64? {
        var result = value
        for _ in 0..<scale {
            let (next, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = next
        }
        return result
    }

    /// An array for `column` (cursor at `[`). Element blocks go through the pending stack so that the
    /// array's entries end up contiguous however deeply its elements nest. Spark semantics: a wrong-typed
    /// element makes the whole array null (the element converter's failure is not a partial result), while
    /// a wrong-typed field *inside* an object element only nulls that field; a `null` element stays null.
    mutating func parseArray(column: ColumnPlan, slot: Int) throws(ScanError) -> Bool {
        p += 1
        depth += 1
        guard depth <= JSONParse.maximumDepth else { throw tooDeep() }
        let mark = buffers.pointee.pendingCount
        var allFit = true
        skipWhitespace()
        guard p < end else { throw fail(.truncated) }
        if p.pointee == UInt8(ascii: "]") {
            p += 1
        } else {
            let elementPlan = plans[column.child]
            while true {
                guard p < end else { throw fail(.truncated) }
                if column.elementIsObject {
                    let c = p.pointee
                    if c == UInt8(ascii: "{") {
                        p += 1
                        let block = buffers.pointee.allocateBlock(elementPlan.columnCount)
                        try parseObject(plan: column.child, block: block)
                        buffers.pointee.pushPending(block)
                    } else if c == UInt8(ascii: "n") {
                        try expectLiteral(0x6C6C_756E, length: 4)
                        buffers.pointee.pushPending(-1)
                    } else {
                        try skipValue()
                        allFit = false
                    }
                } else {
                    let block = buffers.pointee.allocateBlock(1)
                    if try !parseValue(column: columns[elementPlan.firstColumn], slot: block) {
                        allFit = false
                    }
                    buffers.pointee.pushPending(block)
                }
                skipWhitespace()
                guard p < end else { throw fail(.truncated) }
                let c = p.pointee
                p += 1
                if c == UInt8(ascii: ",") {
                    skipWhitespace()
                    continue
                }
                if c == UInt8(ascii: "]") { break }
                p -= 1
                throw fail(.expectedCommaOrBracket)
            }
        }
        depth -= 1
        guard allFit else {
            buffers.pointee.pendingCount = mark
            return false
        }
        let count = buffers.pointee.pendingCount - mark
        let first = buffers.pointee.commitPending(from: mark)
        buffers.pointee.slots[slot] = Slot(tag: .array, a: Int64(first), b: Int64(count))
        return true
    }

    /// Runs `body` over a string's content, unescaped first when needed.
    @inline(__always)
    mutating func withContent<R>(_ text: StringToken, _ body: (UnsafePointer<UInt8>, Int) -> R?) -> R? {
        if !text.escaped { return body(text.start, text.count) }
        let (offset, count) = unescape(text)
        return body(UnsafePointer(buffers.pointee.scratch + offset), count)
    }

    /// Spark's non-numeric double spellings (with `allowNonNumericNumbers`, its default).
    static func nonNumericDouble(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        let text = UnsafeBufferPointer(start: bytes, count: count)
        if text.elementsEqual("NaN".utf8) { return .nan }
        if text.elementsEqual("Infinity".utf8) || text.elementsEqual("+Infinity".utf8)
            || text.elementsEqual("+INF".utf8)
        {
            return .infinity
        }
        if text.elementsEqual("-Infinity".utf8) || text.elementsEqual("-INF".utf8) { return -.infinity }
        return nil
    }

    // MARK: Tokens

    @inline(__always)
    mutating func expectLiteral(_ word: UInt32, length: Int) throws(ScanError) {
        guard end - p >= length else { throw fail(.truncated) }
        guard UnsafeRawPointer(p).loadUnaligned(as: UInt32.self) == UInt32(littleEndian: word) else {
            throw fail(.badLiteral)
        }
        p += length
    }

    @inline(__always)
    mutating func expectFalse() throws(ScanError) {
        guard end - p >= 5 else { throw fail(.truncated) }
        guard UnsafeRawPointer(p + 1).loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6573_6C61)
        else {
            throw fail(.badLiteral)  // "alse"
        }
        p += 5
    }

    /// Scans a string (cursor at its opening quote) to just past its closing quote, checking escapes,
    /// control characters and UTF-8 on the way. Eight bytes at a time: a word is searched for a quote, a
    /// backslash, a control byte or a non-ASCII byte at once; plain ASCII text costs a few instructions
    /// per 8 bytes.
    @inline(__always)
    mutating func scanString() throws(ScanError) -> StringToken {
        p += 1
        let contentStart = p
        var escaped = false
        while true {
            while end - p >= 8 {
                let w = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
                // Per byte, the high bit ends up set for: quote, backslash, byte < 0x20, byte ≥ 0x80.
                // `x - 0x01…` sets a byte's high bit when that byte of x is 0 (or already ≥ 0x80, which `| w`
                // flags anyway); `w - 0x20…` when it is < 0x20. A borrow can only misfire above a true hit,
                // so the lowest set bit is exact.
                let quotes = w ^ quoteWord
                let slashes = w ^ backslashWord
                let hit = ((quotes &- ones) | (slashes &- ones) | (w &- spaceWord) | w) & highs
                if hit == 0 {
                    p += 8
                    continue
                }
                p += hit.trailingZeroBitCount >> 3
                break
            }
            guard p < end else { throw fail(.truncated) }
            let c = p.pointee
            if c == quote {
                let token = StringToken(start: contentStart, count: p - contentStart, escaped: escaped)
                p += 1
                return token
            }
            if c == backslash {
                escaped = true
                try skipEscape()
            } else if c < 0x20 {
                throw fail(.controlCharacterInString)
            } else if c >= 0x80 {
                try skipUTF8Sequence()
            } else {
                p += 1
            }
        }
    }

    /// One escape (cursor at the backslash).
    @inline(never)
    mutating func skipEscape() throws(ScanError) {
        guard end - p >= 2 else { throw fail(.truncated) }
        switch p[1] {
        case quote, backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
            UInt8(ascii: "r"), UInt8(ascii: "t"):
            p += 2
        case UInt8(ascii: "u"):
            guard end - p >= 6 else { throw fail(.truncated) }
            for i in 2..<6 where JSONParse.hexValue(p[i]) < 0 { throw fail(.badEscape) }
            p += 6
        default:
            throw fail(.badEscape)
        }
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> Int {
        if c &- UInt8(ascii: "0") < 10 { return Int(c &- UInt8(ascii: "0")) }
        let lower = c | 0x20
        if lower &- UInt8(ascii: "a") < 6 { return Int(lower &- UInt8(ascii: "a")) + 10 }
        return -1
    }

    /// One multi-byte UTF-8 sequence (cursor at its lead byte), validated per RFC 3629.
    @inline(never)
    mutating func skipUTF8Sequence() throws(ScanError) {
        let length = UTF8Validation.sequenceLength(p, end - p)
        guard length > 0 else { throw fail(.invalidUTF8) }
        p += length
    }

    /// Copies a string's content into the scratch buffer with escapes resolved; returns (offset, count).
    /// `\uXXXX` becomes UTF-8, a surrogate pair one 4-byte sequence; a lone surrogate (which UTF-8 cannot
    /// carry) becomes U+FFFD.
    mutating func unescape(_ text: StringToken) -> (Int, Int) {
        // Escapes only shrink: the output is at most as long as the input.
        let offset = buffers.pointee.reserveScratch(text.count)
        let out = buffers.pointee.scratch + offset
        var n = 0
        var i = 0
        let s = text.start
        while i < text.count {
            let c = s[i]
            if c != backslash {
                out[n] = c
                n += 1
                i += 1
                continue
            }
            let e = s[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out[n] = 0x08
            case UInt8(ascii: "f"): out[n] = 0x0C
            case UInt8(ascii: "n"): out[n] = 0x0A
            case UInt8(ascii: "r"): out[n] = 0x0D
            case UInt8(ascii: "t"): out[n] = 0x09
            case UInt8(ascii: "u"):
                var scalar = JSONParse.hex4(s + i)
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate: pairs with a following \uDC00–\uDFFF.
                    if i + 6 <= text.count && s[i] == backslash && s[i + 1] == UInt8(ascii: "u") {
                        let low = JSONParse.hex4(s + i + 2)
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                n += JSONParse.writeUTF8(scalar, to: out + n)
                continue
            default: out[n] = e  // \" \\ \/
            }
            n += 1
        }
        buffers.pointee.scratchCount = offset + n
        return (offset, n)
    }

    @inline(__always)
    static func hex4(_ s: UnsafePointer<UInt8>) -> Int {
        (hexValue(s[0]) << 12) | (hexValue(s[1]) << 8) | (hexValue(s[2]) << 4) | hexValue(s[3])
    }

    @inline(__always)
    static func writeUTF8(_ scalar: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if scalar < 0x80 {
            out[0] = UInt8(scalar)
            return 1
        }
        if scalar < 0x800 {
            out[0] = UInt8(0xC0 | (scalar >> 6))
            out[1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        }
        if scalar < 0x10000 {
            out[0] = UInt8(0xE0 | (scalar >> 12))
            out[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            out[2] = UInt8(0x80 | (scalar & 0x3F))
            return 3
        }
        out[0] = UInt8(0xF0 | (scalar >> 18))
        out[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
        out[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        out[3] = UInt8(0x80 | (scalar & 0x3F))
        return 4
    }

    /// The common short number — `-?digits(.digits)?` with at most 15 digits in all, no exponent, followed
    /// by a non-number byte — in one pass; nil (cursor unmoved) for anything else, which then goes through
    /// ``scanNumber()`` (and its grammar errors). `fractionDigits` is -1 without a point.
    @inline(__always)
    mutating func scanShortNumber() -> (mantissa: Int64, fractionDigits: Int, negative: Bool)? {
        var q = p
        let negative = q.pointee == UInt8(ascii: "-")
        if negative { q += 1 }
        let digitsStart = q
        var mantissa: Int64 = 0
        while q < end {
            let d = q.pointee &- UInt8(ascii: "0")
            guard d < 10 else { break }
            mantissa = mantissa &* 10 &+ Int64(d)
            q += 1
        }
        let integerDigits = q - digitsStart
        guard integerDigits > 0, integerDigits <= 15,
            integerDigits == 1 || digitsStart.pointee != UInt8(ascii: "0")
        else { return nil }
        var fractionDigits = -1
        if q < end && q.pointee == UInt8(ascii: ".") {
            q += 1
            let fractionStart = q
            while q < end {
                let d = q.pointee &- UInt8(ascii: "0")
                guard d < 10 else { break }
                mantissa = mantissa &* 10 &+ Int64(d)
                q += 1
            }
            fractionDigits = q - fractionStart
            guard fractionDigits > 0, integerDigits + fractionDigits <= 15 else { return nil }
        }
        if q < end && (q.pointee | 0x20) == UInt8(ascii: "e") { return nil }
        p = q
        return (negative ? -mantissa : mantissa, fractionDigits, negative)
    }

    @inline(__always)
    static func exactPowerOfTen(_ k: Int) -> Double {
        switch k {
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        default: 1
        }
    }

    /// A number (cursor at `-` or a digit), validated against JSON's grammar:
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    @inline(__always)
    mutating func scanNumber() throws(ScanError) -> JSONNumber {
        let numberStart = p
        var negative = false
        if p.pointee == UInt8(ascii: "-") {
            if end - p >= 2 && p[1] == UInt8(ascii: "I") {
                guard let value = scanNonFinite() else { throw fail(.badNumber) }
                return JSONNumber(
                    start: numberStart, end: p, negative: true, mantissa: 0, exponent: 0, truncated: false,
                    isInteger: false, nonFinite: value)
            }
            negative = true
            p += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var truncated = false
        var isInteger = true
        guard p < end else { throw fail(.truncated) }
        var d = p.pointee &- UInt8(ascii: "0")
        guard d < 10 else { throw fail(.badNumber) }
        if d == 0 {
            p += 1
        } else {
            repeat {
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significant += 1
                } else {
                    exponent += 1
                    truncated = true
                }
                p += 1
                guard p < end else { break }
                d = p.pointee &- UInt8(ascii: "0")
            } while d < 10
        }
        if p < end && p.pointee == UInt8(ascii: ".") {
            isInteger = false
            p += 1
            guard p < end else { throw fail(.truncated) }
            d = p.pointee &- UInt8(ascii: "0")
            guard d < 10 else { throw fail(.badNumber) }
            repeat {
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { significant += 1 }
                    exponent -= 1
                } else if d != 0 {
                    truncated = true
                }
                p += 1
                guard p < end else { break }
                d = p.pointee &- UInt8(ascii: "0")
            } while d < 10
        }
        if p < end && (p.pointee | 0x20) == UInt8(ascii: "e") {
            isInteger = false
            p += 1
            guard p < end else { throw fail(.truncated) }
            var exponentNegative = false
            if p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") {
                exponentNegative = p.pointee == UInt8(ascii: "-")
                p += 1
                guard p < end else { throw fail(.truncated) }
            }
            d = p.pointee &- UInt8(ascii: "0")
            guard d < 10 else { throw fail(.badNumber) }
            var explicit = 0
            repeat {
                if explicit < 100_000_000 { explicit = explicit * 10 + Int(d) }
                p += 1
                guard p < end else { break }
                d = p.pointee &- UInt8(ascii: "0")
            } while d < 10
            exponent += exponentNegative ? -explicit : explicit
        }
        return JSONNumber(
            start: numberStart, end: p, negative: negative, mantissa: mantissa, exponent: exponent,
            truncated: truncated, isInteger: isInteger)
    }

    // MARK: Skipping what the schema does not name

    /// Skips one value (cursor at its first byte), checking that it is well-formed.
    mutating func skipValue() throws(ScanError) {
        guard p < end else { throw fail(.truncated) }
        switch p.pointee {
        case quote:
            _ = try scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
        case UInt8(ascii: "N"), UInt8(ascii: "I"), UInt8(ascii: "+"):
            guard scanNonFinite() != nil else { throw fail(.unexpectedByte) }
        case UInt8(ascii: "t"):
            try expectLiteral(0x6575_7274, length: 4)
        case UInt8(ascii: "f"):
            try expectFalse()
        case UInt8(ascii: "n"):
            try expectLiteral(0x6C6C_756E, length: 4)
        case UInt8(ascii: "{"):
            try skipObject()
        case UInt8(ascii: "["):
            try skipArray()
        default:
            throw fail(.unexpectedByte)
        }
    }

    mutating func skipObject() throws(ScanError) {
        p += 1
        depth += 1
        guard depth <= JSONParse.maximumDepth else { throw tooDeep() }
        skipWhitespace()
        guard p < end else { throw fail(.truncated) }
        if p.pointee == UInt8(ascii: "}") {
            p += 1
            depth -= 1
            return
        }
        while true {
            guard p < end else { throw fail(.truncated) }
            guard p.pointee == quote else { throw fail(.expectedKey) }
            _ = try scanString()
            skipWhitespace()
            guard p < end else { throw fail(.truncated) }
            guard p.pointee == UInt8(ascii: ":") else { throw fail(.expectedColon) }
            p += 1
            skipWhitespace()
            try skipValue()
            skipWhitespace()
            guard p < end else { throw fail(.truncated) }
            let c = p.pointee
            p += 1
            if c == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            if c == UInt8(ascii: "}") { break }
            p -= 1
            throw fail(.expectedCommaOrBrace)
        }
        depth -= 1
    }

    mutating func skipArray() throws(ScanError) {
        p += 1
        depth += 1
        guard depth <= JSONParse.maximumDepth else { throw tooDeep() }
        skipWhitespace()
        guard p < end else { throw fail(.truncated) }
        if p.pointee == UInt8(ascii: "]") {
            p += 1
            depth -= 1
            return
        }
        while true {
            try skipValue()
            skipWhitespace()
            guard p < end else { throw fail(.truncated) }
            let c = p.pointee
            p += 1
            if c == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            if c == UInt8(ascii: "]") { break }
            p -= 1
            throw fail(.expectedCommaOrBracket)
        }
        depth -= 1
    }
}
