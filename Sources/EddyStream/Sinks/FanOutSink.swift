/// Sends every batch to several sinks in order, e.g. the console and a live table.
///
/// ```swift
/// .output("areas", mode: .complete, to: FanOutSink(.console, areasTable))
/// ```
///
/// Its committed offsets are the lowest any child reports (a child without offsets is ignored), so a
/// restart never skips a batch one of them lacks.
public struct FanOutSink: Sink {
    public var sinks: [any Sink]

    public init(_ sinks: any Sink...) {
        self.sinks = sinks
    }

    public init(_ sinks: [any Sink]) {
        self.sinks = sinks
    }

    public func write(_ batch: SinkBatch) async throws {
        for sink in sinks { try await sink.write(batch) }
    }

    public func committedOffsets(pipeline: String) async throws -> SourceOffsets? {
        var lowest: SourceOffsets?
        for sink in sinks {
            guard let offsets = try await sink.committedOffsets(pipeline: pipeline) else { continue }
            if var current = lowest {
                for (tp, offset) in offsets { current[tp] = min(current[tp] ?? offset, offset) }
                lowest = current
            } else {
                lowest = offsets
            }
        }
        return lowest
    }

    public func close() async throws {
        for sink in sinks { try await sink.close() }
    }
}
