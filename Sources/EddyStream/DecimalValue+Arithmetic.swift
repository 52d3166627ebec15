extension DecimalValue {
    /// This value expressed with `scale` fraction digits (scale must not shrink: that would round).
    public func rescaled(to scale: Int) -> DecimalValue {
        precondition(scale >= self.scale, "rescaling \(self) to fewer digits would round")
        var units = self.units
        for _ in self.scale..<scale { units *= 10 }
        return DecimalValue(units: units, scale: scale)
    }

    public static func + (lhs: DecimalValue, rhs: DecimalValue) -> DecimalValue {
        let scale = max(lhs.scale, rhs.scale)
        return DecimalValue(
            units: lhs.rescaled(to: scale).units + rhs.rescaled(to: scale).units, scale: scale)
    }

    public static func * (lhs: DecimalValue, rhs: DecimalValue) -> DecimalValue {
        DecimalValue(units: lhs.units * rhs.units, scale: lhs.scale + rhs.scale)
    }

    public static func < (lhs: DecimalValue, rhs: DecimalValue) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.rescaled(to: scale).units < rhs.rescaled(to: scale).units
    }

    public static func == (lhs: DecimalValue, rhs: DecimalValue) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.rescaled(to: scale).units == rhs.rescaled(to: scale).units
    }

    public func hash(into hasher: inout Hasher) {
        // Equal values hash equally whatever their scale: hash the canonical (trailing-zero-free) form.
        var units = self.units
        var scale = self.scale
        while scale > 0 && units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        hasher.combine(units)
        hasher.combine(scale)
    }

    /// Plain notation with exactly `scale` fraction digits: `1234, 2` → `"12.34"`, `-5, 2` → `"-0.05"`.
    public var description: String {
        guard scale > 0 else { return String(units) }
        let negative = units < 0
        let magnitude = String(units.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - magnitude.count)) + magnitude
        let split = padded.index(padded.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + padded[..<split] + "." + padded[split...]
    }
}
