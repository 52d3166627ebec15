/// Overlapping event-time windows of `size`, one starting every `slide` (Spark's sliding windows). See
/// ``Window/hopping(on:size:slide:)``.
public struct HoppingWindow: Sendable, Hashable {
    public var sizeMicros: Int64
    public var slideMicros: Int64

    public init(size: Duration, slide: Duration) {
        self.sizeMicros = size.microseconds
        self.slideMicros = slide.microseconds
    }

    /// Starts of every window containing `time`, oldest first.
    public func starts(containing time: Int64) -> [Int64] {
        let last = Timestamp.floorDiv(time, slideMicros) &* slideMicros
        var starts: [Int64] = []
        var start = last
        while start > time &- sizeMicros && starts.count <= sizeMicros / slideMicros {
            starts.append(start)
            start &-= slideMicros
        }
        return starts.reversed()
    }
}
