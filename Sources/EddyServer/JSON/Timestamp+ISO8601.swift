/// ISO-8601 UTC text for the engine's microsecond timestamps, and back, without Foundation on the hot path.
///
/// ```swift
/// ISO8601Micros.format(0)                               // "1970-01-01T00:00:00.000000Z"
/// ISO8601Micros.parse("2024-05-01T10:00:00Z")           // 1714557600000000
/// ```
public enum ISO8601Micros {
    public static func format(_ micros: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rest = micros % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        let seconds = rest / 1_000_000
        let fraction = rest % 1_000_000
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(seconds / 3600, 2) + ":"
            + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2) + "." + pad(fraction, 6) + "Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]` (no zone means UTC) or a plain integer of epoch
    /// milliseconds. Returns nil for anything else.
    public static func parse(_ text: String) -> Int64? {
        let chars = Array(text.utf8)
        if !chars.isEmpty, chars.allSatisfy({ $0 >= 48 && $0 <= 57 }), chars.count <= 15 {
            return Int64(text).map { $0 * 1000 }
        }
        var index = 0
        func number(_ count: Int) -> Int64? {
            guard index + count <= chars.count else { return nil }
            var value: Int64 = 0
            for offset in 0..<count {
                let c = chars[index + offset]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int64(c - 48)
            }
            index += count
            return value
        }
        func expect(_ c: Character) -> Bool {
            guard index < chars.count, chars[index] == c.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var micros = days(fromCivil: year, month, day) * 86_400_000_000
        if index == chars.count { return micros }
        guard expect("T") || expect(" "), let hour = number(2), expect(":"), let minute = number(2),
            hour < 24, minute < 60
        else { return nil }
        var second: Int64 = 0
        if expect(":") {
            guard let s = number(2), s < 61 else { return nil }
            second = s
        }
        micros += ((hour * 60 + minute) * 60 + second) * 1_000_000
        if expect(".") {
            var scale: Int64 = 100_000
            var digits = 0
            while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                micros += Int64(chars[index] - 48) * scale
                scale /= 10
                index += 1
                digits += 1
            }
            guard digits > 0 else { return nil }
        }
        if index == chars.count || expect("Z") {
            return index == chars.count ? micros : nil
        }
        let sign: Int64
        if expect("+") { sign = 1 } else if expect("-") { sign = -1 } else { return nil }
        guard let zoneHour = number(2) else { return nil }
        _ = expect(":")
        guard let zoneMinute = number(2), index == chars.count, zoneHour < 24, zoneMinute < 60 else {
            return nil
        }
        return micros - sign * (zoneHour * 60 + zoneMinute) * 60_000_000
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (era-based, exact for all Int64 ranges we meet).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
