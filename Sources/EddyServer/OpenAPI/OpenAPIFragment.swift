public import OpenAPIKit

/// A part of the API's OpenAPI document: the paths one module serves and the schemas they use. The server
/// merges its own fragment with every mounted module's into `/openapi.json`.
///
/// ```swift
/// var fragment = OpenAPIFragment()
/// fragment.paths["/api/hello"] = .get("Says hello", ok: "A greeting", .json("Hello"))
/// fragment.schemas["Hello"] = .object(properties: ["message": .string])
/// ```
public struct OpenAPIFragment: Sendable {
    public var paths: OpenAPI.PathItem.Map
    public var schemas: OpenAPI.ComponentDictionary<JSONSchema>

    public init(paths: OpenAPI.PathItem.Map = [:], schemas: OpenAPI.ComponentDictionary<JSONSchema> = [:]) {
        self.paths = paths
        self.schemas = schemas
    }

    /// This fragment with `other`'s paths and schemas added; on a clash `other` wins (a module may
    /// refine a shared schema, never silently drop one of its own).
    public func merging(_ other: OpenAPIFragment) -> OpenAPIFragment {
        var merged = self
        for (path, item) in other.paths { merged.paths[path] = item }
        for (name, schema) in other.schemas { merged.schemas[name] = schema }
        return merged
    }
}
