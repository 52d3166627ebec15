// Decimal arithmetic on hostile input: results that do not fit 64-bit units are nil (SQL null, as Spark's
// non-ANSI decimals), never a trap. The contract's plain operators stay for values known to be small.

extension DecimalValue {
    /// This value with `scale` fraction digits, or nil if the units overflow (or `scale` would round).
    func checkedRescaled(to scale: Int) -> DecimalValue? {
        guard scale >= self.scale else { return nil }
        var units = self.units
        for _ in self.scale..<scale {
            let (r, o) = units.multipliedReportingOverflow(by: 10)
            if o { return nil }
            units = r
        }
        return DecimalValue(units: units, scale: scale)
    }

    func checkedAdding(_ other: DecimalValue) -> DecimalValue? {
        let scale = Swift.max(self.scale, other.scale)
        guard let a = checkedRescaled(to: scale), let b = other.checkedRescaled(to: scale) else { return nil }
        let (units, overflow) = a.units.addingReportingOverflow(b.units)
        return overflow ? nil : DecimalValue(units: units, scale: scale)
    }

    func checkedSubtracting(_ other: DecimalValue) -> DecimalValue? {
        guard other.units != .min else { return nil }
        return checkedAdding(DecimalValue(units: -other.units, scale: other.scale))
    }

    func checkedMultiplying(_ other: DecimalValue) -> DecimalValue? {
        let (units, overflow) = self.units.multipliedReportingOverflow(by: other.units)
        return overflow ? nil : DecimalValue(units: units, scale: self.scale + other.scale)
    }

    /// Three-way comparison that cannot overflow: rescales when it fits, else compares as doubles.
    func checkedCompare(_ other: DecimalValue) -> Int {
        let scale = Swift.max(self.scale, other.scale)
        if let a = checkedRescaled(to: scale), let b = other.checkedRescaled(to: scale) {
            return a.units == b.units ? 0 : (a.units < b.units ? -1 : 1)
        }
        let (x, y) = (Double(units) / pow10(self.scale), Double(other.units) / pow10(other.scale))
        return x == y ? 0 : (x < y ? -1 : 1)
    }
}
