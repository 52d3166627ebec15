/// ISO-8601 text for dates, times and timestamps (proleptic Gregorian, like Arrow), and its parsing.
public enum TimeText {
    /// (year, month, day) of a day count since 1970-01-01.
    public static func civil(days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a civil date.
    public static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    public static func date(days: Int64) -> String {
        "\"" + dateText(days: days) + "\""
    }

    static func dateText(days: Int64) -> String {
        let (y, m, d) = civil(days: days)
        let year = y < 0 ? "-" + pad(-y, 4) : pad(y, 4)
        return "\(year)-\(pad(Int64(m), 2))-\(pad(Int64(d), 2))"
    }

    static func fraction(_ value: Int64, _ unit: TimeUnit) -> String {
        let digits = unit == .millis ? 3 : unit == .micros ? 6 : 9
        return "." + pad(value, digits)
    }

    public static func time(_ value: Int64, _ unit: TimeUnit) -> String {
        let perSecond = unit.perSecond
        let seconds = value / perSecond
        let sub = value % perSecond
        return "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
            + (sub != 0 ? fraction(sub, unit) : "")
    }

    /// `2024-08-23T15:22:16.968007Z`: all digits of the unit are kept (trailing zeros included, so the
    /// precision shows); `Z` only for UTC-adjusted values.
    public static func timestamp(_ value: Int64, _ unit: TimeUnit, utc: Bool) -> String {
        let perSecond = unit.perSecond
        var seconds = value / perSecond
        var sub = value % perSecond
        if sub < 0 {
            sub += perSecond
            seconds -= 1
        }
        var days = seconds / 86_400
        var second = seconds % 86_400
        if second < 0 {
            second += 86_400
            days -= 1
        }
        return dateText(days: days)
            + "T\(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2))"
            + fraction(sub, unit) + (utc ? "Z" : "")
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]` (also with a space for `T`) into a count of
    /// `unit` since the epoch, UTC. nil when the text is not such a timestamp.
    public static func parseTimestamp(_ text: some Collection<UInt8>, unit: TimeUnit) -> Int64? {
        let b = Array(text)
        guard b.count >= 19, b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 32, b[13] == 58, b[16] == 58
        else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in range {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var fraction: Int64 = 0
        var fractionDigits = 0
        if i < b.count && b[i] == 46 {
            i += 1
            while i < b.count && b[i] >= 48 && b[i] <= 57 {
                if fractionDigits < 9 {
                    fraction = fraction * 10 + Int64(b[i] - 48)
                    fractionDigits += 1
                }
                i += 1
            }
            guard fractionDigits > 0 else { return nil }
        }
        var offsetSeconds: Int64 = 0
        if i < b.count {
            if b[i] == 90 && i + 1 == b.count {
                i += 1
            } else if (b[i] == 43 || b[i] == 45) && b.count - i == 6 && b[i + 3] == 58,
                let h = number(i + 1..<i + 3), let m = number(i + 4..<i + 6)
            {
                offsetSeconds = (h * 3600 + m * 60) * (b[i] == 45 ? -1 : 1)
                i = b.count
            } else {
                return nil
            }
        }
        let days = Self.days(year: year, month: Int(month), day: Int(day))
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        var nanos = fraction
        for _ in fractionDigits..<9 { nanos *= 10 }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: unit.perSecond)
        guard !overflow else { return nil }
        return scaled + nanos / (1_000_000_000 / unit.perSecond)
    }
}
