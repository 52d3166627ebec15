/// The engine's timestamps (microseconds since the Unix epoch, UTC) to and from text — the one place this
/// is done, so every output agrees.
///
/// The rule:
/// - **Written** everywhere a timestamp leaves the engine as data — JSON lines, the HTTP API, SQL sinks
///   (SQLite text), dead-letter and late-row records — as RFC 3339 / ISO-8601 UTC with exactly six fraction
///   digits: `2024-08-23T15:22:00.000000Z`. Fixed width, so the text sorts as the time does (SQLite
///   compares timestamps as text) and a reader never has to guess the precision.
/// - **Displayed** by the console sink as Spark's `show()` does: `2024-08-23 15:22:16.968007`, trailing
///   fraction zeros dropped (``format(_:)``). Display only; never parsed back.
/// - **Read** with Spark's JSON-reader rules (``parseISO8601(_:)``, see `JSONTimestamp`): the JSON
///   scanner, casts, and the API's `since=` parameters all accept the same texts.
///
/// ```swift
/// Timestamp.parseISO8601("2024-08-23T15:22:16.968007Z")  // 1724426536968007
/// Timestamp.formatISO8601(1724426520000000)               // "2024-08-23T15:22:00.000000Z"
/// Timestamp.format(1724426536968007)                      // "2024-08-23 15:22:16.968007"
/// ```
public enum Timestamp {
    /// Parses what Spark's JSON reader accepts (`yyyy-[m]m-[d]d[( |T)[h]h:[m]m[:[s]s][.fraction]][zone]`,
    /// no zone meaning UTC); nil for anything else or an impossible date.
    public static func parseISO8601(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseISO8601(UnsafeRawBufferPointer($0)) }
    }

    public static func parseISO8601(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let base = bytes.baseAddress else { return nil }
        return JSONTimestamp.micros(base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// Spark's display form: `2024-08-23 15:22:16.968007`, trailing fraction zeros dropped.
    public static func format(_ micros: Int64) -> String {
        format(micros, dateTimeSeparator: " ", zone: "")
    }

    /// The written form: `2024-08-23T15:22:16.968007Z`, always six fraction digits.
    public static func formatISO8601(_ micros: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        appendISO8601(micros, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the written form's 27 ASCII bytes (years 0–9999; others are clamped to that range's text).
    public static func appendISO8601(_ micros: Int64, to bytes: inout [UInt8]) {
        let days = floorDiv(micros, 86_400_000_000)
        let rest = micros - days * 86_400_000_000
        let (year, month, day) = civilFromDays(days)
        let seconds = rest / 1_000_000
        @inline(__always) func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var value = min(max(value, 0), divisor * 10 - 1)
            while divisor > 0 {
                bytes.append(UInt8(truncatingIfNeeded: value / divisor) &+ 48)
                value %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(seconds / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(seconds / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(seconds % 60, 2)
        bytes.append(UInt8(ascii: "."))
        digits(rest % 1_000_000, 6)
        bytes.append(UInt8(ascii: "Z"))
    }

    private static func format(_ micros: Int64, dateTimeSeparator: String, zone: String) -> String {
        let days = floorDiv(micros, 86_400_000_000)
        let rest = micros - days * 86_400_000_000
        let (y, m, d) = civilFromDays(days)
        let secs = rest / 1_000_000
        var fraction = rest % 1_000_000
        var text =
            pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + dateTimeSeparator + pad(secs / 3600, 2) + ":"
            + pad(secs / 60 % 60, 2) + ":" + pad(secs % 60, 2)
        if fraction != 0 {
            var width = 6
            while fraction % 10 == 0 {
                fraction /= 10
                width -= 1
            }
            text += "." + pad(fraction, width)
        }
        return text + zone
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    // Howard Hinnant's civil_from_days (proleptic Gregorian); the inverse is JSONTimestamp.daysSinceEpoch.
    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
