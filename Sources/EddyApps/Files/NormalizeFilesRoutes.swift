import EddyConnectors
import EddyFormats
public import EddyServer
import EddyStream
import Foundation
public import Hummingbird

/// Streamlit's role in seed 004: the output folder's files as they appear, and a preview of any of them.
extension NormalizeFilesApp {
    public func routes(_ api: APIContext) -> RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        let pipeline = name
        @Sendable func output() throws(APIError) -> String {
            guard let handle = try api.pipeline(pipeline) as? FileNormalizerHandle else {
                throw APIError.notFound("pipeline '\(pipeline)' is not a normalize-files pipeline")
            }
            return handle.normalizer.settings.output
        }

        routes.get("/api/files") { _, _ in
            let root = try output()
            var json = JSONWriter(capacity: 4096)
            json.object { json in
                json.field("files") { json in
                    json.array { json in
                        for file in OutputFiles.list(root) { file.write(into: &json) }
                    }
                }
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes)))
        }

        routes.get("/api/files/{name}/preview") { request, context in
            let root = try output()
            let name = try context.pathParameter("name")
            let limit = try QueryParameters(request).integer("rows", in: 1...1000, default: 20)!
            guard let file = OutputFiles.list(root).first(where: { $0.name == name }) else {
                throw APIError.notFound("no file '\(name)' in \(root)/raw or \(root)/normalized")
            }
            let table: ColumnTable
            do {
                table =
                    name.hasSuffix(".csv")
                    ? try CSVReader.read(path: file.path)
                    : try ParquetReader(path: file.path).read()
            } catch {
                throw APIError(status: .unprocessableContent, code: "unreadable", message: "\(error)")
            }
            var json = JSONWriter(capacity: 4096)
            json.object { json in
                json.field("name") { $0.string(name) }
                json.field("folder") { $0.string(file.folder) }
                json.field("rows") { $0.int(table.rowCount) }
                json.field("schema") { json in
                    json.array { json in
                        for field in table.fields {
                            json.object {
                                $0.field("name") { $0.string(field.name) }
                                $0.field("type") { $0.string(OutputFiles.typeName(field.type)) }
                            }
                        }
                    }
                }
                json.field("preview") { json in
                    json.array { json in
                        for row in 0..<min(limit, table.rowCount) { json.raw(table.jsonObject(row: row)) }
                    }
                }
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes)))
        }
        return routes
    }
}

/// The visible files of an output folder (`raw/` and `normalized/`), newest first.
struct OutputFiles {
    var name: String
    var folder: String
    var path: String
    var bytes: Int
    var modifiedMicros: Int64
    var rows: Int?

    static func list(_ root: String) -> [OutputFiles] {
        var files: [OutputFiles] = []
        for folder in ["raw", "normalized"] {
            let directory = root + "/" + folder
            for name in DurableFiles.list(directory)
            where !name.hasPrefix(".") && !name.hasPrefix("_")
                && (name.hasSuffix(".parquet") || name.hasSuffix(".csv"))
            {
                let path = directory + "/" + name
                let attributes = try? FileManager.default.attributesOfItem(atPath: path)
                let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                let rows = name.hasSuffix(".parquet") ? (try? ParquetReader(path: path))?.rowCount : nil
                files.append(
                    OutputFiles(
                        name: name, folder: folder, path: path, bytes: DurableFiles.size(path) ?? 0,
                        modifiedMicros: Int64(modified * 1_000_000), rows: rows))
            }
        }
        return files.sorted { ($0.modifiedMicros, $0.name) > ($1.modifiedMicros, $1.name) }
    }

    func write(into json: inout JSONWriter) {
        json.object {
            $0.field("name") { $0.string(name) }
            $0.field("folder") { $0.string(folder) }
            $0.field("rows") { json in if let rows { json.int(rows) } else { json.null() } }
            $0.field("bytes") { $0.int(bytes) }
            $0.field("written_at") { $0.string(Timestamp.formatISO8601(modifiedMicros)) }
            // A normalised file's source is the raw file of the same name.
            $0.field("source") { json in
                if folder == "normalized" {
                    json.string(
                        "raw/" + (name.split(separator: ".").first.map(String.init) ?? name) + ".parquet")
                } else {
                    json.null()
                }
            }
        }
    }

    static func typeName(_ type: FieldType) -> String {
        switch type {
        case .boolean: "boolean"
        case .int(let bits, let signed): (signed ? "int" : "uint") + "\(bits)"
        case .float: "float"
        case .double: "double"
        case .string: "string"
        case .binary: "binary"
        case .fixedBinary(let n): "fixed(\(n))"
        case .decimal(let p, let s): "decimal(\(p),\(s))"
        case .date: "date"
        case .time(let unit): "time(\(unit.rawValue))"
        case .timestamp(let unit, let utc): "timestamp(\(unit.rawValue)\(utc ? ", UTC" : ""))"
        case .list(let element): "list<\(typeName(element.type))>"
        case .structure(let fields):
            "struct<\(fields.map { "\($0.name): \(typeName($0.type))" }.joined(separator: ", "))>"
        }
    }
}
