/// A dense `rows × rank` matrix of `Float`, row-major in one contiguous array: row `r` (one user's or
/// one item's latent factors) is `values[r*rank ..< (r+1)*rank]`.
///
/// ```swift
/// var factors = FactorMatrix(rows: 3, rank: 2)
/// factors[1, 0] = 0.5
/// factors.row(1)   // [0.5, 0.0]
/// ```
public struct FactorMatrix: Sendable, Equatable {
    public let rows: Int
    public let rank: Int
    public internal(set) var values: [Float]

    public init(rows: Int, rank: Int) {
        self.init(rows: rows, rank: rank, values: [Float](repeating: 0, count: rows * rank))
    }

    public init(rows: Int, rank: Int, values: [Float]) {
        precondition(values.count == rows * rank, "a \(rows)×\(rank) matrix needs \(rows * rank) values")
        self.rows = rows
        self.rank = rank
        self.values = values
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * rank + column] }
        set { values[row * rank + column] = newValue }
    }

    public func row(_ row: Int) -> [Float] {
        Array(values[row * rank..<(row + 1) * rank])
    }

    /// Rows drawn from a seeded normal distribution and scaled to unit length, like Spark's ALS
    /// initialisation (absolute values for non-negative factorisation).
    static func normalized(rows: Int, rank: Int, random: inout SeededGenerator, nonnegative: Bool)
        -> FactorMatrix
    {
        var values = [Float](repeating: 0, count: rows * rank)
        for r in 0..<rows {
            var norm = 0.0
            var row = [Double](repeating: 0, count: rank)
            for c in 0..<rank {
                let x = random.nextGaussian()
                row[c] = nonnegative ? abs(x) : x
                norm += x * x
            }
            norm = max(norm.squareRoot(), 1e-12)
            for c in 0..<rank { values[r * rank + c] = Float(row[c] / norm) }
        }
        return FactorMatrix(rows: rows, rank: rank, values: values)
    }

    /// Rows uniform in [0, scale), like the `implicit` library's initialisation.
    static func uniform(rows: Int, rank: Int, scale: Double, random: inout SeededGenerator) -> FactorMatrix {
        var values = [Float](repeating: 0, count: rows * rank)
        for i in values.indices { values[i] = Float(random.nextUnit() * scale) }
        return FactorMatrix(rows: rows, rank: rank, values: values)
    }

    /// `YᵀY` (rank × rank, row-major, Double) summed over fixed blocks of rows in a fixed order, so the
    /// result does not depend on how many workers computed it.
    func gramian(workers: Int) -> [Double] {
        let k = rank
        let blockRows = 4096
        let blocks = (rows + blockRows - 1) / blockRows
        var partial = [Double](repeating: 0, count: max(blocks, 1) * k * k)
        values.withUnsafeBufferPointer { y in
            partial.withUnsafeMutableBufferPointer { out in
                let y = y.baseAddress!
                let out = SendablePointer(out.baseAddress!)
                Parallel.forEach(blocks, workers: workers) { block in
                    let a = out.pointer + block * k * k
                    var row = [Double](repeating: 0, count: k)
                    row.withUnsafeMutableBufferPointer { row in
                        for r in block * blockRows..<min(rows, (block + 1) * blockRows) {
                            let yr = y + r * k
                            for i in 0..<k { row[i] = Double(yr[i]) }
                            for i in 0..<k {
                                let yi = row[i]
                                let ai = a + i * k
                                for j in i..<k { ai[j] += yi * row[j] }
                            }
                        }
                    }
                }
            }
        }
        var total = [Double](repeating: 0, count: k * k)
        for block in 0..<blocks {
            for i in 0..<k * k { total[i] += partial[block * k * k + i] }
        }
        for i in 0..<k { for j in 0..<i { total[i * k + j] = total[j * k + i] } }
        return total
    }
}
