public import EddyServer
public import Hummingbird
import OpenAPIKit

extension NormalizeFilesApp {
    public var openAPI: OpenAPIFragment {
        OpenAPIFragment(
            paths: [
                "/api/files": .get(
                    "Files of the output folder (raw and normalised), newest first", ok: "The files",
                    .json("OutputFiles"), errors: [404]),
                "/api/files/{name}/preview": .get(
                    "A file's schema and first rows",
                    parameters: [.path("name"), .query("rows", .integer(1...1000, default: 20))],
                    ok: "Schema and rows", .json("FilePreview"), errors: [400, 404, 422]),
            ],
            schemas: [
                "OutputFiles": .object(properties: ["files": .arrayOf("OutputFile")]),
                "OutputFile": .object(properties: [
                    "name": .string, "folder": .string(allowedValues: ["raw", "normalized"]),
                    "rows": .integer(required: false, nullable: true), "bytes": .integer,
                    "written_at": .string(format: .dateTime),
                    "source": .string(required: false, nullable: true),
                ]),
                "FilePreview": .object(properties: [
                    "name": .string, "folder": .string, "rows": .integer,
                    "schema": .array(items: .object(properties: ["name": .string, "type": .string])),
                    "preview": .array(items: .object(properties: [:])),
                ]),
            ])
    }
}

extension ApiToParquetApp {
    public var openAPI: OpenAPIFragment { OpenAPIFragment() }
}

extension ApiToParquetApp {
    public func routes(_ api: APIContext) -> RouteCollection<BasicRequestContext> {
        RouteCollection(context: BasicRequestContext.self)
    }
}
