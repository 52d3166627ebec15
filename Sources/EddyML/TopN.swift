/// The best `n` of a stream of (item, score) pairs, kept in a min-heap of size `n` (the worst of the best
/// at the root), so choosing 10 of 10,000 items costs one comparison for most items instead of a sort.
/// Ties go to the lower item index, so answers are deterministic.
struct TopN {
    private(set) var heap: [(index: Int32, score: Float)] = []
    let n: Int

    init(n: Int) {
        self.n = n
        heap.reserveCapacity(n)
    }

    /// True when `a` ranks above `b`.
    @inline(__always)
    private static func better(_ a: (index: Int32, score: Float), _ b: (index: Int32, score: Float)) -> Bool {
        a.score > b.score || (a.score == b.score && a.index < b.index)
    }

    /// The score an item must beat to enter (−∞ until the heap is full).
    @inline(__always) var threshold: Float { heap.count < n ? -.infinity : heap[0].score }

    @inline(__always)
    mutating func offer(_ index: Int32, _ score: Float) {
        guard n > 0, !score.isNaN else { return }
        let candidate = (index: index, score: score)
        if heap.count < n {
            heap.append(candidate)
            siftUp(heap.count - 1)
        } else if Self.better(candidate, heap[0]) {
            heap[0] = candidate
            siftDown(0)
        }
    }

    /// Best first.
    func sorted() -> [(index: Int32, score: Float)] {
        heap.sorted { Self.better($0, $1) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.better(heap[parent], heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var worst = left
            let right = left + 1
            if right < count, Self.better(heap[left], heap[right]) { worst = right }
            guard Self.better(heap[parent], heap[worst]) else { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
