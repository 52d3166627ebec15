/// Timestamp text → microseconds since the Unix epoch, without Foundation.
///
/// Accepts what Spark's JSON reader accepts for the seeds' data (its default `timestampFormat` plus the
/// `stringToTimestamp` fallback):
/// `yyyy-[m]m-[d]d`, optionally followed by `T` or a space and `[h]h:[m]m[:[s]s][.fraction]`, where the
/// fraction has 1–9 digits (digits past microseconds are truncated, as Spark does), then an optional zone:
/// `Z`/`z`, `±hh`, `±hh:mm` or `±hhmm`, optionally preceded by a space; also a `UTC`/`GMT` suffix. No zone
/// means UTC (Eddy's session time zone). A date alone is midnight. Anything else, or an impossible date
/// (`2024-02-30`), is nil → the field is null.
enum JSONTimestamp {
    static func micros(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        var i = 0
        @inline(__always) func digits(min: Int, max: Int) -> Int? {
            var value = 0
            var n = 0
            while n < max, i < count, bytes[i] &- UInt8(ascii: "0") < 10 {
                value = value * 10 + Int(bytes[i] &- UInt8(ascii: "0"))
                i += 1
                n += 1
            }
            return n >= min ? value : nil
        }
        @inline(__always) func expect(_ c: UInt8) -> Bool {
            guard i < count, bytes[i] == c else { return false }
            i += 1
            return true
        }

        guard let year = digits(min: 4, max: 4), expect(UInt8(ascii: "-")),
            let month = digits(min: 1, max: 2), expect(UInt8(ascii: "-")),
            let day = digits(min: 1, max: 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else {
            return nil
        }

        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0
        var offsetSeconds = 0
        if i < count && (bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: " ")) {
            i += 1
            guard let h = digits(min: 1, max: 2), expect(UInt8(ascii: ":")), let m = digits(min: 1, max: 2)
            else { return nil }
            hour = h
            minute = m
            if expect(UInt8(ascii: ":")) {
                guard let s = digits(min: 1, max: 2) else { return nil }
                second = s
                if expect(UInt8(ascii: ".")) {
                    var n = 0
                    while i < count, bytes[i] &- UInt8(ascii: "0") < 10 {
                        if n < 6 { fraction = fraction * 10 + Int(bytes[i] &- UInt8(ascii: "0")) }
                        n += 1
                        i += 1
                    }
                    guard n >= 1, n <= 9 else { return nil }
                    for _ in min(n, 6)..<6 { fraction *= 10 }
                }
            }
            guard hour < 24, minute < 60, second < 60 else { return nil }
            // The zone.
            if i < count && bytes[i] == UInt8(ascii: " ") { i += 1 }
            if i < count {
                let c = bytes[i]
                if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
                    i += 1
                } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                    i += 1
                    guard let oh = digits(min: 2, max: 2), oh <= 18 else { return nil }
                    var om = 0
                    if expect(UInt8(ascii: ":")) {
                        guard let m = digits(min: 2, max: 2) else { return nil }
                        om = m
                    } else if i < count {
                        guard let m = digits(min: 2, max: 2) else { return nil }
                        om = m
                    }
                    guard om < 60 else { return nil }
                    offsetSeconds = (oh * 3600 + om * 60) * (c == UInt8(ascii: "-") ? -1 : 1)
                } else if count - i == 3 {
                    let a = bytes[i] & 0xDF
                    let b = bytes[i + 1] & 0xDF
                    let d = bytes[i + 2] & 0xDF
                    let utc = a == UInt8(ascii: "U") && b == UInt8(ascii: "T") && d == UInt8(ascii: "C")
                    let gmt = a == UInt8(ascii: "G") && b == UInt8(ascii: "M") && d == UInt8(ascii: "T")
                    guard utc || gmt else { return nil }
                    i += 3
                }
            }
        }
        guard i == count else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return seconds * 1_000_000 + Int64(fraction)
    }

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar. Counts from a year that starts in March,
    /// so the leap day is the last day of its year and each month's first day is a linear formula of the
    /// month (153 days per 5 months); 400-year eras of 146 097 days make it exact for any year.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let marchYear = month <= 2 ? year - 1 : year
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let marchMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * marchMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
