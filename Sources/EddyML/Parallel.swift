import Dispatch

/// Runs independent pieces of work on up to `workers` threads. The pieces write disjoint outputs, so the
/// results are the same for any worker count.
enum Parallel {
    static func forEach(_ count: Int, workers: Int, _ body: (Int) -> Void) {
        if workers <= 1 || count <= 1 {
            for index in 0..<count { body(index) }
        } else {
            // The pieces touch disjoint memory (the callers' contract), which the compiler cannot see
            // through the unsafe pointers they capture.
            withoutActuallyEscaping(body) { body in
                let box = UncheckedBox(body)
                DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
            }
        }
    }

    /// Splits `0..<count` into chunks (more chunks than workers, for balance) and runs `body` on each.
    static func forEachChunk(_ count: Int, workers: Int, _ body: (Range<Int>) -> Void) {
        let chunks = workers <= 1 ? 1 : min(count, workers * 8)
        guard chunks > 0 else { return }
        forEach(chunks, workers: workers) { chunk in
            body(chunk * count / chunks..<(chunk + 1) * count / chunks)
        }
    }
}

/// A pointer handed to parallel workers that write disjoint parts of the memory behind it.
struct SendablePointer<Pointee>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Pointee>
    init(_ pointer: UnsafeMutablePointer<Pointee>) { self.pointer = pointer }
}

private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
