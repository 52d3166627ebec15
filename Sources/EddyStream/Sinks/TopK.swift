/// The first `k` elements of a sequence in a given order, by a bounded binary heap: O(n log k) time and
/// O(k) space, where sorting everything would be O(n log n). Ties keep no particular order unless
/// `precedes` breaks them (``LiveTable`` breaks them by key).
///
/// ```swift
/// TopK.select(3, from: [5, 1, 9, 7, 3], by: >)  // [9, 7, 5]
/// ```
public enum TopK {
    public static func select<Element>(
        _ k: Int, from elements: some Sequence<Element>, by precedes: (Element, Element) -> Bool
    ) -> [Element] {
        guard k > 0 else { return [] }
        // A heap whose root is the element that comes last of the k kept so far: the one to evict.
        var heap: [Element] = []
        heap.reserveCapacity(k)
        func siftUp(_ index: Int) {
            var child = index
            while child > 0 {
                let parent = (child - 1) / 2
                guard precedes(heap[parent], heap[child]) else { return }
                heap.swapAt(parent, child)
                child = parent
            }
        }
        func siftDown(_ index: Int) {
            var parent = index
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { return }
                var last = left
                let right = left + 1
                if right < heap.count, precedes(heap[left], heap[right]) { last = right }
                guard precedes(heap[parent], heap[last]) else { return }
                heap.swapAt(parent, last)
                parent = last
            }
        }
        for element in elements {
            if heap.count < k {
                heap.append(element)
                siftUp(heap.count - 1)
            } else if precedes(element, heap[0]) {
                heap[0] = element
                siftDown(0)
            }
        }
        return heap.sorted(by: precedes)
    }
}
