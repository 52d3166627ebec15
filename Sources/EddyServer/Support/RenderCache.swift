import NIOCore
import Synchronization

/// Rendered JSON responses keyed by request, valid while the source table's version is unchanged: a busy
/// dashboard or a load test reads the same table thousands of times between two batches, and each read
/// after the first is a dictionary lookup.
///
/// ```swift
/// let body = cache.body(for: "areas?top=3", version: table.version) { renderAreas(top: 3) }
/// ```
final class RenderCache: Sendable {
    private struct Entry {
        var version: UInt64
        var body: ByteBuffer
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Bounds memory when clients vary parameters: past this many entries the cache starts over.
    private let capacity: Int

    /// `capacity` 0 keeps nothing: every request renders (what `eddy bench http` uses to time the path
    /// without the cache).
    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// `key` is built only when the cache is on: with it off, a request pays for nothing but the render.
    func body(
        for key: @autoclosure () -> String, version: UInt64, render: () throws(APIError) -> [UInt8]
    ) throws(APIError) -> ByteBuffer {
        guard capacity > 0 else { return ByteBuffer(bytes: try render()) }
        let key = key()
        if let hit = entries.withLock({ $0[key] }), hit.version == version {
            return hit.body
        }
        let body = ByteBuffer(bytes: try render())
        entries.withLock { entries in
            if entries.count >= capacity && entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(version: version, body: body)
        }
        return body
    }

    var count: Int { entries.withLock { $0.count } }
}
