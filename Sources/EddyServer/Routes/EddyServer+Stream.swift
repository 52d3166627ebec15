import EddyStream
import Hummingbird
import NIOCore
import ServiceLifecycle

extension EddyServer {
    /// Rows a table-change event carries at most; clients that need more query the table endpoint.
    static let streamRowLimit = 200

    func addStreamRoutes(to router: Router<BasicRequestContext>) {
        // Server-sent events: `table` on every table change (all tables once at the start), `status` every
        // second, a comment line as heartbeat. `events=N` ends the stream after N events, `seconds=N` after N
        // seconds (for tools, tests, and browsers that should reconnect now and then).
        router.get("/api/pipelines/{name}/stream") { request, context in
            let pipeline = try pipeline(named: try context.pathParameter("name"))
            let query = QueryParameters(request)
            let maxEvents = try query.integer("events", in: 1...1_000_000, default: nil)
            let maxSeconds = try query.integer("seconds", in: 1...86_400, default: nil)
            let body = ResponseBody { writer in
                var stream = EventStreamState(maxEvents: maxEvents)
                let clock = ContinuousClock()
                let deadline = maxSeconds.map { clock.now + .seconds($0) }
                // Browsers reconnect a second after a stream ends (`seconds=`, a restart, a proxy timeout).
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                var nextStatus = clock.now
                var nextHeartbeat = clock.now + heartbeatInterval
                writeLoop: while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    for table in pipeline.tables {
                        let version = table.version
                        guard stream.versions[table.name] != version else { continue }
                        stream.versions[table.name] = version
                        let data = tableEvent(table, pipeline: pipeline.name)
                        try await writer.write(Self.event("table", data))
                        if stream.countEvent() { break writeLoop }
                    }
                    let now = clock.now
                    if now >= nextStatus {
                        let status = try document(of: pipeline).jsonBytes()
                        try await writer.write(Self.event("status", ByteBuffer(bytes: status)))
                        if stream.countEvent() { break writeLoop }
                        nextStatus = now + .seconds(1)
                    }
                    if let deadline, now >= deadline { break writeLoop }
                    if now >= nextHeartbeat {
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                        nextHeartbeat = now + heartbeatInterval
                    }
                    try? await Task.sleep(for: streamInterval)
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "keep-alive",
                ],
                body: body)
        }
    }

    func tableEvent(_ table: any LiveTableReader, pipeline: String) -> ByteBuffer {
        let version = table.version
        let key = "sse\u{0}\(pipeline)\u{0}\(table.name)"
        return
            (try? cache.body(for: key, version: version) { () throws(APIError) in
                let rows = table.query(orderBy: nil, descending: false, limit: Self.streamRowLimit)
                var json = JSONWriter(capacity: 256 + rows.count * 96)
                json.object { json in
                    json.field("pipeline") { $0.string(pipeline) }
                    json.field("table") { $0.string(table.name) }
                    json.field("version") { $0.int(version) }
                    json.field("rowCount") { $0.int(table.rowCount) }
                    json.field("truncated") { $0.bool(table.rowCount > rows.count) }
                    json.field("rows") { $0.rows(rows, columns: table.columns) }
                }
                return json.bytes
            }) ?? ByteBuffer()
    }

    /// One SSE frame; the JSON is a single line, so one `data:` line carries it.
    static func event(_ name: String, _ data: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(data.readableBytes + name.utf8.count + 16)
        buffer.writeString("event: ")
        buffer.writeString(name)
        buffer.writeString("\ndata: ")
        buffer.writeImmutableBuffer(data)
        buffer.writeString("\n\n")
        return buffer
    }
}

/// What one live-update stream has sent so far.
struct EventStreamState {
    var versions: [String: UInt64] = [:]
    var sent = 0
    let maxEvents: Int?

    /// Counts a sent event; true when the stream has sent all it was asked for.
    mutating func countEvent() -> Bool {
        sent += 1
        return maxEvents.map { sent >= $0 } ?? false
    }
}
