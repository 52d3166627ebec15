/// Independent reference algebra for the tests: Gaussian elimination with partial pivoting in Double,
/// sharing no code with EddyML's Cholesky.
enum DenseAlgebra {
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        let n = b.count
        var m = a
        var x = b
        for column in 0..<n {
            let pivot = (column..<n).max { abs(m[$0][column]) < abs(m[$1][column]) }!
            m.swapAt(column, pivot)
            x.swapAt(column, pivot)
            for row in column + 1..<n {
                let factor = m[row][column] / m[column][column]
                for j in column..<n { m[row][j] -= factor * m[column][j] }
                x[row] -= factor * x[column]
            }
        }
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = x[row]
            for j in row + 1..<n { sum -= m[row][j] * x[j] }
            x[row] = sum / m[row][row]
        }
        return x
    }
}
