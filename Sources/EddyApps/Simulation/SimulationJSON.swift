/// Byte-level writers for the simulators' JSON lines. They append straight into a `[UInt8]`, so making a
/// million readings allocates one buffer per record and no `String`s.
enum SimulationJSON {
    /// Appends `"name": ` (Python's `json.dumps` spacing, as the seed simulators print).
    static func key(_ name: StaticString, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: " ")])
    }

    static func separator(into out: inout [UInt8]) {
        out.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")])
    }

    /// Appends a string that needs no escaping (the simulators only produce such strings; checked in tests).
    static func string(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: value.utf8)
        out.append(UInt8(ascii: "\""))
    }

    static func null(into out: inout [UInt8]) {
        out.append(contentsOf: "null".utf8)
    }

    static func bool(_ value: Bool, into out: inout [UInt8]) {
        out.append(contentsOf: (value ? "true" : "false").utf8)
    }

    static func int(_ value: Int, into out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            digits(UInt64(-Int64(value)), minimumWidth: 1, into: &out)
        } else {
            digits(UInt64(value), minimumWidth: 1, into: &out)
        }
    }

    /// Appends an amount in hundredths with exactly two decimals: 15234 → `152.34`, 5 → `0.05`.
    static func hundredths(_ value: Int, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = UInt64(abs(Int64(value)))
        digits(magnitude / 100, minimumWidth: 1, into: &out)
        out.append(UInt8(ascii: "."))
        digits(magnitude % 100, minimumWidth: 2, into: &out)
    }

    /// Appends decimal digits, zero-padded on the left to `minimumWidth`.
    static func digits(_ value: UInt64, minimumWidth: Int, into out: inout [UInt8]) {
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for 20 digits
        withUnsafeMutableBytes(of: &buffer) { raw in
            var index = raw.count
            var rest = value
            repeat {
                index -= 1
                raw[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            while raw.count - index < minimumWidth {
                index -= 1
                raw[index] = UInt8(ascii: "0")
            }
            out.append(contentsOf: raw[index...])
        }
    }

    /// Appends `micros` since the Unix epoch as ISO-8601 UTC with microseconds:
    /// `2024-08-23T15:22:16.968007Z`, the seed's timestamp format.
    static func timestamp(micros: Int64, into out: inout [UInt8]) {
        let (seconds, fraction) = micros.quotientAndRemainder(dividingBy: 1_000_000)
        let (s, f) = fraction < 0 ? (seconds - 1, fraction + 1_000_000) : (seconds, fraction)
        let (days, secondOfDay) = s.quotientAndRemainder(dividingBy: 86_400)
        let (d, sod) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        let date = CivilDate(daysSinceEpoch: d)
        digits(UInt64(date.year), minimumWidth: 4, into: &out)
        out.append(UInt8(ascii: "-"))
        digits(UInt64(date.month), minimumWidth: 2, into: &out)
        out.append(UInt8(ascii: "-"))
        digits(UInt64(date.day), minimumWidth: 2, into: &out)
        out.append(UInt8(ascii: "T"))
        digits(UInt64(sod / 3600), minimumWidth: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        digits(UInt64(sod % 3600 / 60), minimumWidth: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        digits(UInt64(sod % 60), minimumWidth: 2, into: &out)
        out.append(UInt8(ascii: "."))
        digits(UInt64(f), minimumWidth: 6, into: &out)
        out.append(UInt8(ascii: "Z"))
    }
}

/// A proleptic Gregorian date from a day count, without Foundation's calendars (which are slow and locale
/// dependent). The conversion counts 400-year eras starting on 1 March, so leap days fall at an era's end.
struct CivilDate: Equatable {
    var year: Int64
    var month: Int64
    var day: Int64

    init(daysSinceEpoch: Int64) {
        let shifted = daysSinceEpoch + 719_468  // days from 0000-03-01 to 1970-01-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    init(year: Int64, month: Int64, day: Int64) {
        self.year = year
        self.month = month
        self.day = day
    }
}
