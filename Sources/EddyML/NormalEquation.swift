/// One row's least-squares system `(Σ wᵢ yᵢyᵢᵀ + base + λI) x = Σ tᵢ yᵢ`, accumulated from the fixed
/// side's factor rows and solved into a factor row. Each worker owns one, reused for every row it solves,
/// so the hot loop allocates nothing.
///
/// Explicit ALS adds each rated item with weight 1 and target r (Spark's `NormalEquation`); implicit ALS
/// solved exactly adds weight c − 1 and target c·p on top of `base = YᵀY` (Hu, Koren & Volinsky).
final class NormalEquation {
    let rank: Int
    private let ata: UnsafeMutablePointer<Double>
    private let atb: UnsafeMutablePointer<Double>
    private let row: UnsafeMutablePointer<Double>
    private let solution: UnsafeMutablePointer<Double>
    private let saved: UnsafeMutablePointer<Double>

    init(rank: Int) {
        self.rank = rank
        ata = .allocate(capacity: rank * rank)
        atb = .allocate(capacity: rank)
        row = .allocate(capacity: rank)
        solution = .allocate(capacity: rank)
        saved = .allocate(capacity: rank * rank + rank)
        reset()
    }

    deinit {
        ata.deallocate()
        atb.deallocate()
        row.deallocate()
        solution.deallocate()
        saved.deallocate()
    }

    func reset() {
        ata.update(repeating: 0, count: rank * rank)
        atb.update(repeating: 0, count: rank)
    }

    /// Adds `weight · y yᵀ` (upper triangle) and `target · y`.
    @inline(__always)
    func add(_ factor: UnsafePointer<Float>, weight: Double, target: Double) {
        let k = rank
        for i in 0..<k { row[i] = Double(factor[i]) }
        for i in 0..<k {
            let yi = row[i]
            atb[i] += target * yi
            let wyi = weight * yi
            let ai = ata + i * k
            for j in i..<k { ai[j] += wyi * row[j] }
        }
    }

    /// Adds y yᵀ and r·y: one explicit rating.
    @inline(__always)
    func add(_ factor: UnsafePointer<Float>, rating: Double) {
        let k = rank
        for i in 0..<k { row[i] = Double(factor[i]) }
        for i in 0..<k {
            let yi = row[i]
            atb[i] += rating * yi
            let ai = ata + i * k
            for j in i..<k { ai[j] += yi * row[j] }
        }
    }

    /// Solves with `regularization` added to the diagonal (and `base`, full rank × rank, added first),
    /// writing the factor row to `output`.
    func solve(
        regularization: Double, base: UnsafePointer<Double>? = nil, nonnegative: Bool,
        into output: UnsafeMutablePointer<Float>
    ) {
        let k = rank
        if let base {
            for i in 0..<k { for j in i..<k { ata[i * k + j] += base[i * k + j] } }
        }
        for i in 0..<k { ata[i * k + i] += regularization }
        if nonnegative {
            for i in 0..<k { for j in 0..<i { ata[i * k + j] = ata[j * k + i] } }
            for i in 0..<k { solution[i] = 0 }
            NonnegativeLeastSquares.solve(ata, atb, solution, n: k)
            for i in 0..<k { output[i] = Float(solution[i]) }
            return
        }
        let mayFail = regularization <= 0
        if mayFail {
            saved.update(from: ata, count: k * k)
            (saved + k * k).update(from: atb, count: k)
        }
        if Cholesky.solve(ata, atb, n: k) {
            for i in 0..<k { output[i] = Float(atb[i]) }
            return
        }
        // Singular without regularisation (a row with fewer ratings than the rank): the smallest ridge
        // that makes it solvable, so the answer stays finite.
        var largest = 0.0
        for i in 0..<k { largest = max(largest, saved[i * k + i]) }
        ata.update(from: saved, count: k * k)
        atb.update(from: saved + k * k, count: k)
        for i in 0..<k { ata[i * k + i] += max(largest, 1) * 1e-9 }
        if Cholesky.solve(ata, atb, n: k) {
            for i in 0..<k { output[i] = Float(atb[i]) }
        } else {
            for i in 0..<k { output[i] = 0 }
        }
    }
}
