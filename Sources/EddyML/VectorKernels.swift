/// Dot product and axpy over Float rows with four-lane SIMD accumulators: the compiler does not
/// reorder a scalar floating-point reduction, so without explicit lanes these loops stay scalar.
enum VectorKernels {
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD4<Float>()
        var i = 0
        let rawA = UnsafeRawPointer(a)
        let rawB = UnsafeRawPointer(b)
        while i + 4 <= n {
            lanes +=
                rawA.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self)
            i += 4
        }
        var sum = lanes.sum()
        while i < n {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// y += alpha · x
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let rawX = UnsafeRawPointer(x)
        let rawY = UnsafeMutableRawPointer(y)
        let scale = SIMD4<Float>(repeating: alpha)
        while i + 4 <= n {
            let updated =
                rawY.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self)
                + scale * rawX.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self)
            rawY.storeBytes(of: updated, toByteOffset: i * 4, as: SIMD4<Float>.self)
            i += 4
        }
        while i < n {
            y[i] += alpha * x[i]
            i += 1
        }
    }
}
