/// Runs `body(0) … body(n - 1)` on the cooperative pool and returns their results in index order; with
/// one task it runs inline. The engine's one fan-out helper: batch workers use it, each on its own share.
///
/// ```swift
/// let sums = try await parallel(2) { w throws(PipelineError) in work(share: w) }
/// ```
func parallel<T: Sendable>(
    _ n: Int, _ body: @escaping @Sendable (Int) throws(PipelineError) -> T
) async throws(PipelineError) -> [T] {
    if n <= 1 { return [try body(0)] }
    do {
        return try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for i in 0..<n { group.addTask { (i, try body(i)) } }
            var collected = [T?](repeating: nil, count: n)
            for try await (i, result) in group { collected[i] = result }
            return collected.map { $0! }
        }
    } catch let error as PipelineError {
        throw error
    } catch {
        throw .unsupported("a worker failed: \(error)")
    }
}
