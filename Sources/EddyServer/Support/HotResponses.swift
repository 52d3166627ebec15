import EddyStream
import Hummingbird
import NIOCore
import Synchronization

/// The JSON responses of table-backed GET endpoints, by exact request target (`/api/retail/areas?top=3`),
/// each valid while its table's version is unchanged. The router fills it as it answers; the
/// ``HotResponseHandler`` in every connection's channel pipeline answers a repeated request from it
/// directly on the event loop, without the trip through the async request handler, and passes everything
/// else (a new target, a changed table, a request with a body, an earlier request still being answered) on
/// to the router unchanged.
///
/// A load test or a busy dashboard asks the same few questions thousands of times between two batches of
/// the pipeline; this makes each repeat cost little more than the socket calls.
final class HotResponses: Sendable {
    struct Entry: Sendable {
        let table: any LiveTableReader
        let version: UInt64
        let body: ByteBuffer
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Bounds memory when clients vary parameters: past this many targets the store starts over.
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// Records `body` as the answer to `request` while `table` stays at `version`, and returns the response
    /// the router sends now.
    func respond(to request: Request, table: any LiveTableReader, version: UInt64, body: ByteBuffer)
        -> Response
    {
        if request.method == .get, let target = request.head.path {
            entries.withLock { entries in
                if entries.count >= capacity && entries[target] == nil {
                    entries.removeAll(keepingCapacity: true)
                }
                entries[target] = Entry(table: table, version: version, body: body)
            }
        }
        return Response.json(body)
    }

    /// The stored body for `target` when its table has not changed since, else nil.
    func body(for target: String) -> ByteBuffer? {
        guard let entry = entries.withLock({ $0[target] }) else { return nil }
        return entry.table.version == entry.version ? entry.body : nil
    }

    var count: Int { entries.withLock { $0.count } }
}
