/// A few conjugate-gradient steps on one row of implicit ALS, `(YᵀY + λI + Yᵀ(Cᵤ − I)Y) x = YᵀCᵤpᵤ`,
/// warm-started from the row's current factors — the method of Takács, Pilászy & Tikk used by the
/// `implicit` library. Only the row's own items are visited; `YᵀY + λI` is shared by all rows.
/// Each worker owns one instance (scratch vectors reused).
final class ConjugateGradient {
    let rank: Int
    let steps: Int
    private let x: UnsafeMutablePointer<Double>
    private let r: UnsafeMutablePointer<Double>
    private let p: UnsafeMutablePointer<Double>
    private let ap: UnsafeMutablePointer<Double>

    init(rank: Int, steps: Int) {
        self.rank = rank
        self.steps = steps
        x = .allocate(capacity: rank)
        r = .allocate(capacity: rank)
        p = .allocate(capacity: rank)
        ap = .allocate(capacity: rank)
    }

    deinit {
        x.deallocate()
        r.deallocate()
        p.deallocate()
        ap.deallocate()
    }

    /// - Parameters:
    ///   - gramian: `YᵀY + λI`, row-major rank × rank.
    ///   - factors: the fixed side's factor rows; `columns`/`confidences` this row's entries (c = 1 + αr).
    ///   - row: this row's factors, read as the start and overwritten with the result.
    func solve(
        gramian: UnsafePointer<Double>, factors: UnsafePointer<Float>, columns: UnsafePointer<Int32>,
        confidences: UnsafePointer<Float>, count: Int, row: UnsafeMutablePointer<Float>
    ) {
        let k = rank
        for i in 0..<k { x[i] = Double(row[i]) }
        // r = YᵀCᵤpᵤ − (YᵀCᵤY + λI) x
        multiply(gramian, x, into: r, negate: true)
        for e in 0..<count {
            let y = factors + Int(columns[e]) * k
            let c = Double(confidences[e])
            var yx = 0.0
            for i in 0..<k { yx += Double(y[i]) * x[i] }
            let scale = c - (c - 1) * yx
            for i in 0..<k { r[i] += scale * Double(y[i]) }
        }
        p.update(from: r, count: k)
        var rsOld = dot(r, r)
        if rsOld < 1e-20 { return }
        for _ in 0..<steps {
            multiply(gramian, p, into: ap, negate: false)
            for e in 0..<count {
                let y = factors + Int(columns[e]) * k
                let c = Double(confidences[e])
                var yp = 0.0
                for i in 0..<k { yp += Double(y[i]) * p[i] }
                let scale = (c - 1) * yp
                for i in 0..<k { ap[i] += scale * Double(y[i]) }
            }
            let pAp = dot(p, ap)
            guard pAp > 0 else { break }
            let alpha = rsOld / pAp
            for i in 0..<k {
                x[i] += alpha * p[i]
                r[i] -= alpha * ap[i]
            }
            let rsNew = dot(r, r)
            if rsNew < 1e-20 { break }
            let beta = rsNew / rsOld
            for i in 0..<k { p[i] = r[i] + beta * p[i] }
            rsOld = rsNew
        }
        for i in 0..<k { row[i] = Float(x[i]) }
    }

    @inline(__always)
    private func multiply(
        _ matrix: UnsafePointer<Double>, _ vector: UnsafePointer<Double>,
        into out: UnsafeMutablePointer<Double>,
        negate: Bool
    ) {
        let k = rank
        for i in 0..<k {
            var sum = 0.0
            let m = matrix + i * k
            for j in 0..<k { sum += m[j] * vector[j] }
            out[i] = negate ? -sum : sum
        }
    }

    @inline(__always)
    private func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        var sum = 0.0
        for i in 0..<rank { sum += a[i] * b[i] }
        return sum
    }
}
