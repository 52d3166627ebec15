/// Minimises `½ xᵀAx − bᵀx` subject to `x ≥ 0` (the normal equations of a non-negative least-squares
/// problem) by projected coordinate descent: each coordinate moves to its constrained minimum in turn
/// until no coordinate moves. Deterministic, allocation-free, and exact at convergence for the small
/// positive definite systems of ALS (Spark solves the same problem with projected gradient NNLS).
///
/// ```swift
/// var a: [Double] = [2, 0, 0, 2]
/// var b: [Double] = [2, -2]
/// var x = [Double](repeating: 0, count: 2)
/// // solve(...) → x == [1, 0]: the unconstrained x₁ = −1 is clipped to 0
/// ```
public enum NonnegativeLeastSquares {
    /// `a` is row-major `n × n` with both triangles filled; `x` is the start point (clipped to ≥ 0) and
    /// receives the solution.
    public static func solve(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ x: UnsafeMutablePointer<Double>, n: Int,
        maxSweeps: Int = 1000, tolerance: Double = 1e-12
    ) {
        for i in 0..<n { x[i] = max(0, x[i]) }
        var scale = 0.0
        for i in 0..<n { scale = max(scale, abs(b[i])) }
        let threshold = tolerance * max(scale, 1e-300)
        for _ in 0..<maxSweeps {
            var largestStep = 0.0
            for i in 0..<n {
                let diagonal = a[i * n + i]
                guard diagonal > 0 else { continue }
                let row = a + i * n
                var gradient = -b[i]
                for j in 0..<n { gradient += row[j] * x[j] }
                let updated = max(0, x[i] - gradient / diagonal)
                largestStep = max(largestStep, abs(updated - x[i]) * diagonal)
                x[i] = updated
            }
            if largestStep <= threshold { return }
        }
    }
}
