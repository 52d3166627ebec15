/// Fixed-size, non-overlapping event-time windows `[k·size, (k+1)·size)`. See ``Window/tumbling(on:size:)``.
public struct TumblingWindow: Sendable, Hashable {
    public var sizeMicros: Int64

    public init(size: Duration) {
        self.sizeMicros = size.microseconds
    }

    /// The start of the window containing `time`.
    public func start(containing time: Int64) -> Int64 {
        Timestamp.floorDiv(time, sizeMicros) &* sizeMicros
    }
}
