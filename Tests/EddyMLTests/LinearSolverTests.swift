import Testing

@testable import EddyML

@Suite struct LinearSolverTests {
    /// A random symmetric positive definite matrix BᵀB + I.
    static func spd(_ n: Int, seed: UInt64) -> [[Double]] {
        var random = SeededGenerator(seed: seed)
        let b = (0..<n).map { _ in (0..<n).map { _ in random.nextGaussian() } }
        return (0..<n).map { i in
            (0..<n).map { j in (0..<n).reduce(i == j ? 1.0 : 0) { $0 + b[$1][i] * b[$1][j] } }
        }
    }

    @Test(arguments: [1, 2, 5, 10, 33])
    func choleskyMatchesGaussianElimination(n: Int) {
        let a = Self.spd(n, seed: UInt64(n))
        var random = SeededGenerator(seed: 99)
        let b = (0..<n).map { _ in random.nextGaussian() }
        let expected = DenseAlgebra.solve(a, b)
        var flat = a.flatMap { $0 }
        var x = b
        let ok = flat.withUnsafeMutableBufferPointer { a in
            x.withUnsafeMutableBufferPointer { x in Cholesky.solve(a.baseAddress!, x.baseAddress!, n: n) }
        }
        #expect(ok)
        for i in 0..<n { #expect(abs(x[i] - expected[i]) < 1e-9 * max(1, abs(expected[i]))) }
    }

    @Test func choleskyRefusesAnIndefiniteMatrix() {
        var a: [Double] = [1, 2, 2, 1]
        var b: [Double] = [1, 1]
        let ok = a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in Cholesky.solve(a.baseAddress!, b.baseAddress!, n: 2) }
        }
        #expect(!ok)
    }

    /// Brute force: every subset of free coordinates, solved densely, keeping the feasible one with the
    /// lowest objective.
    @Test(arguments: [1, 2, 3, 4, 6])
    func nonnegativeLeastSquaresMatchesBruteForce(n: Int) {
        let a = Self.spd(n, seed: 7 + UInt64(n))
        var random = SeededGenerator(seed: 5 + UInt64(n))
        let b = (0..<n).map { _ in random.nextGaussian() * 3 }
        func objective(_ x: [Double]) -> Double {
            var value = 0.0
            for i in 0..<n {
                value -= b[i] * x[i]
                for j in 0..<n { value += 0.5 * x[i] * a[i][j] * x[j] }
            }
            return value
        }
        var best = [Double](repeating: 0, count: n)
        var bestValue = objective(best)
        for mask in 1..<(1 << n) {
            let free = (0..<n).filter { mask & (1 << $0) != 0 }
            let sub = DenseAlgebra.solve(free.map { i in free.map { a[i][$0] } }, free.map { b[$0] })
            guard sub.allSatisfy({ $0 >= 0 }) else { continue }
            var x = [Double](repeating: 0, count: n)
            for (position, i) in free.enumerated() { x[i] = sub[position] }
            if objective(x) < bestValue {
                best = x
                bestValue = objective(x)
            }
        }
        let flat = a.flatMap { $0 }
        var x = [Double](repeating: 0, count: n)
        flat.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                x.withUnsafeMutableBufferPointer { x in
                    NonnegativeLeastSquares.solve(a.baseAddress!, b.baseAddress!, x.baseAddress!, n: n)
                }
            }
        }
        for i in 0..<n { #expect(abs(x[i] - best[i]) < 1e-6, "x=\(x) best=\(best)") }
    }
}
