public import EddyStream
public import Hummingbird
import NIOCore

/// What a module's routes use from the server: its pipelines' live tables, and answers rendered once per
/// table version.
///
/// ```swift
/// routes.get("/api/retail/areas") { request, _ in
///     let table = try api.table("areas", of: "retail")
///     return try api.respond(to: request, table: table, cacheKey: "areas") { () throws(APIError) in
///         api.renderRows(name: "areas", table: table, rows: table.query(orderBy: "total_traffic", descending: true, limit: 3))
///     }
/// }
/// ```
public struct APIContext: Sendable {
    let server: EddyServer

    /// The live table `tableName` of the running pipeline `pipelineName`; a JSON 404 naming what exists
    /// otherwise.
    public func table(_ tableName: String, of pipelineName: String) throws(APIError) -> any LiveTableReader {
        try server.table(tableName, of: pipelineName)
    }

    /// The running pipeline `name` (an app's own handle type can be recovered with `as?`); a JSON 404
    /// naming what runs otherwise.
    public func pipeline(_ name: String) throws(APIError) -> any PipelineHandle {
        try server.pipeline(named: name)
    }

    /// Answers a GET with the body `render` makes from `table`, rendered at most once per table version and
    /// request variant (`cacheKey` must name every query parameter the body depends on; the path is added).
    public func respond(
        to request: Request, table: any LiveTableReader, cacheKey: String,
        render: () throws(APIError) -> [UInt8]
    ) throws(APIError) -> Response {
        let version = table.version
        // The path keeps two modules' keys apart.
        let body = try server.cache.body(
            for: request.uri.path + "\u{0}" + cacheKey, version: version, render: render)
        return Response.json(body)
    }

    /// `{"version": 7, "<name>": [{…}, …]}`: rows keyed by column name.
    public func renderRows(name: String, table: any LiveTableReader, rows: [Row]) -> [UInt8] {
        server.renderRows(name: name, table: table, rows: rows)
    }

    /// The largest `limit` a table query accepts.
    public static var maxTableLimit: Int { EddyServer.maxTableLimit }
}
