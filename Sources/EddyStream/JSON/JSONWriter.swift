/// Writes JSON text straight into a byte array: the API's hot path renders responses without Foundation's
/// `JSONEncoder`, and the result is cached per table version.
///
/// ```swift
/// var json = JSONWriter()
/// json.object {
///     $0.field("name") { $0.string("motion") }
///     $0.field("partitions") { $0.int(3) }
/// }
/// let bytes = json.bytes  // {"name":"motion","partitions":3}
/// ```
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]
    /// Whether the next value in the current object or array needs a comma before it.
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: Containers

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member of the enclosing object: its name, then the value `body` writes.
    public mutating func field(_ name: String, _ body: (inout JSONWriter) -> Void) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
        body(&self)
        needsComma = true
    }

    // MARK: Scalars

    public mutating func null() {
        separate()
        appendASCII("null")
    }

    public mutating func bool(_ value: Bool) {
        separate()
        appendASCII(value ? "true" : "false")
    }

    public mutating func int<I: BinaryInteger>(_ value: I) {
        if let small = Int64(exactly: value) { return int(small) }
        if let large = UInt64(exactly: value) { return int(large) }
        separate()
        appendASCII(String(value))
    }

    public mutating func int(_ value: Int) {
        int(Int64(value))
    }

    public mutating func int(_ value: Int64) {
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude)
    }

    public mutating func int(_ value: UInt64) {
        separate()
        appendDigits(value)
    }

    /// Digits straight into the buffer: no String per number.
    private mutating func appendDigits(_ value: UInt64) {
        var magnitude = value
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits, most significant last
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// JSON has no NaN or infinity: those become null rather than invalid text.
    public mutating func double(_ value: Double) {
        separate()
        guard value.isFinite else { return appendASCII("null") }
        // Swift's shortest round-trip digits; a whole value keeps its `.0`, so a double stays a double for
        // the reader.
        appendASCII(value.description)
    }

    /// A number written exactly as given (already valid JSON number text, e.g. a decimal's plain notation).
    public mutating func rawNumber(_ text: String) {
        separate()
        appendASCII(text)
    }

    public mutating func string(_ value: String) {
        separate()
        writeString(value)
    }

    /// Convenience for optional values: null when absent.
    /// `text` as one JSON string, quoted and escaped, for a hand-assembled line.
    public static func quoted(_ text: String) -> String {
        var writer = JSONWriter(capacity: text.utf8.count + 2)
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    public mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// Appends already-rendered JSON (for example a cached fragment) as one value.
    public mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
    }

    /// Ends a line of JSON lines: a newline, and the next value starts a new top-level document.
    public mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        needsComma = false
    }

    // MARK: Helpers

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    private mutating func appendASCII(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    private mutating func writeString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escaping: find that out in one pass over the contiguous UTF-8 and copy them
        // whole. (A bridged or lazily-stored string takes the byte-by-byte path below.)
        let copied: Bool? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            for byte in utf8 where Self.needsEscape(byte) { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            // `</` inside a string could close a <script> if a response is ever inlined into HTML.
            case UInt8(ascii: "/"):
                if bytes.last == UInt8(ascii: "<") {
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "/")])
                } else {
                    bytes.append(byte)
                }
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/")
    }

    /// `"name":`, rendered once so a member name repeated on every row is one copy per row.
    static func memberName(_ name: String) -> [UInt8] {
        var writer = JSONWriter(capacity: name.utf8.count + 3)
        writer.writeString(name)
        writer.bytes.append(UInt8(ascii: ":"))
        return writer.bytes
    }

    mutating func reserve(_ extra: Int) { bytes.reserveCapacity(bytes.count + extra) }
    mutating func appendByte(_ byte: UInt8) { bytes.append(byte) }
    mutating func appendBytes(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    /// `value` right after a member name the caller wrote: no separator before it.
    mutating func member(_ value: Value) {
        needsComma = false
        self.value(value)
    }
}
