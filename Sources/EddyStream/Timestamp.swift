/// Conversions between ISO-8601 text and the engine's timestamps (microseconds since the Unix epoch, UTC),
/// without Foundation: event times are parsed on the hot path.
///
/// ```swift
/// Timestamp.parseISO8601("2024-08-23T15:22:16.968007Z")  // 1724426536968007
/// Timestamp.format(1724426536968007)                      // "2024-08-23 15:22:16.968007"
/// ```
public enum Timestamp {
    /// Parses `YYYY-MM-DD[T ]hh:mm[:ss[.fraction]][Z|±hh[:]mm]`; no zone means UTC. Returns nil for anything
    /// else. Fractions beyond microseconds are truncated.
    public static func parseISO8601(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseISO8601(UnsafeRawBufferPointer($0)) }
    }

    public static func parseISO8601(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let n = bytes.count
        var i = 0
        func digits(_ count: Int) -> Int64? {
            guard i + count <= n else { return nil }
            var v: Int64 = 0
            for k in 0..<count {
                let c = bytes[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += count
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < n, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        var micros = daysFromCivil(year: year, month: month, day: day) * 86_400_000_000
        if i == n { return micros }
        guard i < n, bytes[i] == 84 || bytes[i] == 116 || bytes[i] == 32 else { return nil }
        i += 1
        guard let hour = digits(2), expect(58), let minute = digits(2), hour < 24, minute < 60 else {
            return nil
        }
        var second: Int64 = 0
        var fraction: Int64 = 0
        if expect(58) {
            guard let s = digits(2), s <= 60 else { return nil }
            second = s
            if i < n, bytes[i] == 46 || bytes[i] == 44 {
                i += 1
                var scale: Int64 = 100_000
                var any = false
                while i < n, bytes[i] >= 48, bytes[i] <= 57 {
                    fraction += Int64(bytes[i] - 48) * scale
                    scale /= 10
                    i += 1
                    any = true
                }
                guard any else { return nil }
            }
        }
        micros += ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction
        if i == n { return micros }
        if bytes[i] == 90 || bytes[i] == 122 {
            return i + 1 == n ? micros : nil
        }
        guard bytes[i] == 43 || bytes[i] == 45 else { return nil }
        let sign: Int64 = bytes[i] == 45 ? -1 : 1
        i += 1
        guard let oh = digits(2) else { return nil }
        _ = expect(58)
        let om = i < n ? (digits(2) ?? -1) : 0
        guard om >= 0, i == n else { return nil }
        return micros - sign * (oh * 60 + om) * 60_000_000
    }

    /// Spark's display form: `2024-08-23 15:22:16.968007`, trailing fraction zeros dropped.
    public static func format(_ micros: Int64) -> String {
        format(micros, dateTimeSeparator: " ", zone: "")
    }

    /// ISO-8601 with `Z`: `2024-08-23T15:22:16.968007Z`.
    public static func formatISO8601(_ micros: Int64) -> String {
        format(micros, dateTimeSeparator: "T", zone: "Z")
    }

    static func format(_ micros: Int64, dateTimeSeparator: String, zone: String) -> String {
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

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

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
