/// Solves `A x = b` for a symmetric positive definite `A` by Cholesky factorisation `A = L Lᵀ`, in place,
/// on the caller's buffers (ALS solves one small rank × rank system per user and per item, so no
/// allocation per solve).
///
/// ```swift
/// var a: [Double] = [4, 2, 2, 3]   // row-major 2×2; only the upper triangle is read
/// var b: [Double] = [2, 1]
/// let ok = a.withUnsafeMutableBufferPointer { a in
///     b.withUnsafeMutableBufferPointer { b in Cholesky.solve(a.baseAddress!, b.baseAddress!, n: 2) }
/// }
/// // ok == true, b == [0.5, 0.0]
/// ```
public enum Cholesky {
    /// Reads the upper triangle of the row-major `n × n` matrix `a` (overwriting its lower triangle and
    /// diagonal with `L`) and replaces `b` by the solution. Returns false, leaving `b` unspecified, when
    /// `A` is not positive definite.
    @discardableResult
    public static func solve(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, n: Int)
        -> Bool
    {
        // Column by column: L[j][j] = sqrt(A[j][j] − Σ L[j][k]²), L[i][j] = (A[j][i] − Σ L[i][k]L[j][k]) / L[j][j].
        for j in 0..<n {
            let rowJ = a + j * n
            var diagonal = rowJ[j]
            for k in 0..<j { diagonal -= rowJ[k] * rowJ[k] }
            guard diagonal > 0, diagonal.isFinite else { return false }
            let ljj = diagonal.squareRoot()
            rowJ[j] = ljj
            for i in (j + 1)..<max(n, j + 1) {
                let rowI = a + i * n
                var sum = rowJ[i]  // A[j][i], upper triangle, still untouched
                for k in 0..<j { sum -= rowI[k] * rowJ[k] }
                rowI[j] = sum / ljj
            }
        }
        // L y = b, then Lᵀ x = y.
        for i in 0..<n {
            let rowI = a + i * n
            var sum = b[i]
            for k in 0..<i { sum -= rowI[k] * b[k] }
            b[i] = sum / rowI[i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[i]
            for k in (i + 1)..<max(n, i + 1) { sum -= a[k * n + i] * b[k] }
            b[i] = sum / a[i * n + i]
        }
        return true
    }
}
