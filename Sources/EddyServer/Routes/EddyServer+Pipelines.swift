import EddyStream
import Hummingbird

extension EddyServer {
    /// The largest `limit` a table query accepts; bigger tables are paged by sorting and filtering.
    static let maxTableLimit = 10_000

    func addPipelineRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/pipelines") { _, _ in
            var json = JSONWriter(capacity: 2048)
            json.object { json in
                json.field("pipelines") { json in
                    json.array { json in
                        for pipeline in pipelines { writePipeline(pipeline, into: &json) }
                    }
                }
            }
            return Response.json(json.bytes)
        }

        router.get("/api/pipelines/{name}") { _, context in
            let pipeline = try pipeline(named: try context.pathParameter("name"))
            var json = JSONWriter(capacity: 2048)
            writePipeline(pipeline, into: &json)
            return Response.json(json.bytes)
        }

        router.get("/api/pipelines/{name}/tables/{table}") { request, context in
            let pipelineName = try context.pathParameter("name")
            let tableName = try context.pathParameter("table")
            let table = try table(tableName, of: pipelineName)
            let query = QueryParameters(request)
            let key = query.string("key")
            let orderBy = query.string("orderBy")
            if let orderBy, !table.columns.contains(where: { $0.name == orderBy }) {
                throw APIError.badParameter(
                    "orderBy",
                    "must be a column of '\(tableName)': \(table.columns.map(\.name).joined(separator: ", "))"
                )
            }
            let descending = try query.bool("desc", default: false)
            let limit = try query.integer("limit", in: 1...Self.maxTableLimit, default: 1000)!
            let cacheKey =
                "t\u{0}\(pipelineName)\u{0}\(tableName)\u{0}\(key ?? "\u{1}")\u{0}\(orderBy ?? "")\u{0}\(descending)\u{0}\(limit)"
            let version = table.version
            let body = try cache.body(for: cacheKey, version: version) { () throws(APIError) in
                let rows: [Row]
                if let key {
                    let parts =
                        table.keyColumns.count <= 1
                        ? [key] : key.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    guard parts.count == table.keyColumns.count else {
                        throw APIError.badParameter(
                            "key",
                            "must give \(table.keyColumns.count) comma-separated values for the key columns "
                                + table.keyColumns.map { table.columns[$0].name }.joined(separator: ", "))
                    }
                    rows = Array(table.lookup(key: parts).prefix(limit))
                } else {
                    rows = table.query(orderBy: orderBy, descending: descending, limit: limit)
                }
                return renderTable(table, pipeline: pipelineName, rows: rows)
            }
            return hot.respond(to: request, table: table, version: version, body: body)
        }
    }

    /// `{"version": 7, "<name>": [{…}, …]}`
    func renderRows(name: String, table: any LiveTableReader, rows: [Row]) -> [UInt8] {
        var json = JSONWriter(capacity: 128 + rows.count * 128)
        json.object { json in
            json.field("version") { $0.int(table.version) }
            json.field(name) { $0.rows(rows, columns: table.columns) }
        }
        return json.bytes
    }

    func renderTable(_ table: any LiveTableReader, pipeline: String, rows: [Row]) -> [UInt8] {
        let columns = table.columns
        var json = JSONWriter(capacity: 256 + rows.count * 96)
        json.object { json in
            json.field("pipeline") { $0.string(pipeline) }
            json.field("table") { $0.string(table.name) }
            json.field("version") { $0.int(table.version) }
            json.field("rowCount") { $0.int(table.rowCount) }
            json.field("columns") { $0.columns(columns) }
            json.field("keyColumns") { json in
                json.array { json in
                    for index in table.keyColumns where index < columns.count {
                        json.string(columns[index].name)
                    }
                }
            }
            json.field("rows") { $0.rows(rows, columns: columns) }
        }
        return json.bytes
    }

    func writePipeline(_ pipeline: any PipelineHandle, into json: inout JSONWriter) {
        let status = pipeline.status()
        let tables = pipeline.tables
        json.object { json in
            json.field("name") { $0.string(pipeline.name) }
            json.field("state") { $0.string(status.state.rawValue) }
            json.field("sources") { json in
                json.array { json in for source in status.sources { json.string(source) } }
            }
            json.field("recordsIn") { $0.int(status.recordsIn) }
            json.field("recordsOut") { $0.int(status.recordsOut) }
            json.field("recordsPerSecond") { $0.double(status.recordsPerSecond) }
            json.field("lag") { $0.int(status.totalLag) }
            json.field("deadLetters") { $0.int(status.deadLetters) }
            json.field("lateRecords") { $0.int(status.lateRecords) }
            json.field("checkpointAgeSeconds") { json in
                if let age = status.checkpointAgeSeconds { json.double(age) } else { json.null() }
            }
            json.field("error") { $0.string(status.error) }
            json.field("lastBatch") { json in
                guard let batch = status.lastBatch else { return json.null() }
                json.object { json in
                    json.field("id") { $0.int(batch.id) }
                    json.field("finishedAt") { $0.string(Timestamp.formatISO8601(batch.finishedAtMicros)) }
                    json.field("durationMillis") { $0.double(batch.durationMillis) }
                }
            }
            json.field("partitions") { json in
                json.array { json in
                    for partition in status.partitions {
                        json.object { json in
                            json.field("topic") { $0.string(partition.topic) }
                            json.field("partition") { $0.int(partition.partition) }
                            json.field("position") { $0.int(partition.position) }
                            json.field("endOffset") { $0.int(partition.endOffset) }
                            json.field("lag") { $0.int(partition.lag) }
                        }
                    }
                }
            }
            json.field("tables") { json in
                json.array { json in
                    for table in tables {
                        json.object { json in
                            json.field("name") { $0.string(table.name) }
                            json.field("rowCount") { $0.int(table.rowCount) }
                            json.field("version") { $0.int(table.version) }
                            json.field("columns") { $0.columns(table.columns) }
                        }
                    }
                }
            }
            json.field("panels") { $0.raw(panelsJSON(of: pipeline.name)) }
            json.field("recentDeadLetters") { json in
                json.array { json in
                    for letter in status.recentDeadLetters {
                        json.object { json in
                            json.field("reason") { $0.string(letter.reason) }
                            json.field("topic") { $0.string(letter.topic) }
                            json.field("partition") { $0.int(letter.partition) }
                            json.field("offset") { $0.int(letter.offset) }
                            json.field("detail") { $0.string(letter.detail) }
                        }
                    }
                }
            }
        }
    }
}
