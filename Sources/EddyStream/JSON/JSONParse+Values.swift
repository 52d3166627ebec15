private let quote = UInt8(ascii: "\"")

extension JSONParse {
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
                guard try nextOrEnd(closing: UInt8(ascii: "]"), else: .expectedCommaOrBracket) else { break }
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
}
