/// A few conjugate-gradient steps on one row of implicit ALS, `(YᵀY + λI + Yᵀ(Cᵤ − I)Y) x = YᵀCᵤpᵤ`,
/// warm-started from the row's current factors — the method of Takács, Pilászy & Tikk used by the
/// `implicit` library, in Float like it, with SIMD dot products and axpys. Only the row's own items
/// are visited; `YᵀY + λI` is shared by all rows. Each worker owns one instance (scratch vectors reused).
final class ConjugateGradient {
    let rank: Int
    let steps: Int
    private let r: UnsafeMutablePointer<Float>
    private let p: UnsafeMutablePointer<Float>
    private let ap: UnsafeMutablePointer<Float>

    init(rank: Int, steps: Int) {
        self.rank = rank
        self.steps = steps
        r = .allocate(capacity: rank)
        p = .allocate(capacity: rank)
        ap = .allocate(capacity: rank)
    }

    deinit {
        r.deallocate()
        p.deallocate()
        ap.deallocate()
    }

    /// - Parameters:
    ///   - gramian: `YᵀY + λI`, row-major rank × rank, Float.
    ///   - factors: the fixed side's factor rows; `columns`/`confidences` this row's entries (c = 1 + αr).
    ///   - row: this row's factors, read as the start and overwritten with the result.
    func solve(
        gramian: UnsafePointer<Float>, factors: UnsafePointer<Float>, columns: UnsafePointer<Int32>,
        confidences: UnsafePointer<Float>, count: Int, row x: UnsafeMutablePointer<Float>
    ) {
        let k = rank
        // r = YᵀCᵤpᵤ − (YᵀCᵤY + λI) x
        for i in 0..<k { r[i] = -VectorKernels.dot(gramian + i * k, x, k) }
        for e in 0..<count {
            let y = factors + Int(columns[e]) * k
            let c = confidences[e]
            VectorKernels.axpy(c - (c - 1) * VectorKernels.dot(y, x, k), y, r, k)
        }
        p.update(from: r, count: k)
        var rsOld = VectorKernels.dot(r, r, k)
        if rsOld < 1e-20 { return }
        for _ in 0..<steps {
            for i in 0..<k { ap[i] = VectorKernels.dot(gramian + i * k, p, k) }
            for e in 0..<count {
                let y = factors + Int(columns[e]) * k
                VectorKernels.axpy((confidences[e] - 1) * VectorKernels.dot(y, p, k), y, ap, k)
            }
            let pAp = VectorKernels.dot(p, ap, k)
            guard pAp > 0 else { break }
            let alpha = rsOld / pAp
            VectorKernels.axpy(alpha, p, x, k)
            VectorKernels.axpy(-alpha, ap, r, k)
            let rsNew = VectorKernels.dot(r, r, k)
            if rsNew < 1e-20 { break }
            let beta = rsNew / rsOld
            for i in 0..<k { p[i] = r[i] + beta * p[i] }
            rsOld = rsNew
        }
    }
}
