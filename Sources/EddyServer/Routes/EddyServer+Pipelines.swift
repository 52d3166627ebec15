import EddyStream
import Hummingbird

extension EddyServer {
    /// The largest `limit` a table query accepts; bigger tables are paged by sorting and filtering.
    static let maxTableLimit = 10_000

    func addPipelineRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/pipelines") { _, _ in
            struct List: Encodable { var pipelines: [PipelineDocument] }
            return Response.json(try List(pipelines: pipelines.map(document(of:))).jsonBytes())
        }

        router.get("/api/pipelines/{name}") { _, context in
            let pipeline = try pipeline(named: try context.pathParameter("name"))
            return Response.json(try document(of: pipeline).jsonBytes())
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
            let body = try cache.body(
                for:
                    "t\u{0}\(pipelineName)\u{0}\(tableName)\u{0}\(key ?? "\u{1}")\u{0}\(orderBy ?? "")\u{0}\(descending)\u{0}\(limit)",
                version: table.version
            ) { () throws(APIError) in
                let answer: TableAnswer
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
                    answer = TableAnswer(
                        version: table.version, rowCount: table.rowCount,
                        layout: TableLayout(columns: table.columns, keyColumns: table.keyColumns),
                        rows: Array(table.lookup(key: parts).prefix(limit)))
                } else {
                    answer = table.answer(orderBy: orderBy, descending: descending, limit: limit, where: nil)
                }
                return renderTable(answer, name: tableName, pipeline: pipelineName)
            }
            return Response.json(body)
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

    func renderTable(_ answer: TableAnswer, name: String, pipeline: String) -> [UInt8] {
        var json = JSONWriter(capacity: 256 + answer.layout.columnsJSON.count + answer.rows.count * 96)
        json.object { json in
            json.field("pipeline") { $0.string(pipeline) }
            json.field("table") { $0.string(name) }
            json.field("version") { $0.int(answer.version) }
            json.field("rowCount") { $0.int(answer.rowCount) }
            json.field("columns") { $0.raw(answer.layout.columnsJSON) }
            json.field("keyColumns") { $0.raw(answer.layout.keyColumnsJSON) }
            json.field("rows") { $0.rows(answer.rows, layout: answer.layout) }
        }
        return json.bytes
    }

    /// The pipeline's document (`Pipeline` in `/openapi.json`), with its app's panels.
    func document(of pipeline: any PipelineHandle) -> PipelineDocument {
        PipelineDocument(pipeline, panels: modules.flatMap(\.panels).filter { $0.pipeline == pipeline.name })
    }
}
