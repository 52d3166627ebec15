/// Human-readable sizes and rates for summaries: `1.5 MiB`, `812 B`.
enum ByteCount {
    static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : "\(rounded(value)) \(units[unit])"
    }

    static func format(_ bytes: Int) -> String { format(Int64(bytes)) }

    /// One decimal below 100, none above: `3.2`, `148`.
    static func rounded(_ value: Double) -> String {
        value >= 100 ? "\(Int(value.rounded()))" : "\((value * 10).rounded() / 10)"
    }

    /// `1.19M`, `48.2k`, `950` (records per second and the like).
    static func count(_ value: Double) -> String {
        if value >= 1_000_000 { return "\(rounded(value / 1_000_000))M" }
        if value >= 1_000 { return "\(rounded(value / 1_000))k" }
        return "\(Int(value.rounded()))"
    }
}
