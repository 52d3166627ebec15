import HTTPTypes
import Hummingbird
import Synchronization

/// The methods each route path answers, so a request for a known path with a method it does not declare
/// gets `405 Method Not Allowed` and an `Allow` header instead of a 404: Hummingbird's router answers
/// both with "not found".
///
/// The router's middleware is added before its routes, so the table is filled once the routes exist:
///
/// ```swift
/// let methods = RouteMethods()
/// router.add(middleware: JSONErrorMiddleware(methods: methods))
/// … add routes …
/// methods.record(router.routes.map { ($0.path.description, $0.method) })
/// methods.allowed(for: "/api/topics")   // [GET, POST]
/// ```
final class RouteMethods: Sendable {
    private struct Route {
        /// Path components; `{…}` and `*` match one component, `**` the rest.
        var components: [Substring]
        var methods: Set<HTTPRequest.Method>
    }

    private let routes = Mutex<[Route]>([])

    init() {}

    func record(_ entries: [(path: String, method: HTTPRequest.Method)]) {
        var byPath: [String: Set<HTTPRequest.Method>] = [:]
        for entry in entries { byPath[entry.path, default: []].insert(entry.method) }
        let table = byPath.map { Route(components: $0.key.split(separator: "/"), methods: $0.value) }
        routes.withLock { $0 = table }
    }

    /// The methods declared on the routes `path` matches, sorted; empty when no route matches it.
    func allowed(for path: String) -> [HTTPRequest.Method] {
        let parts = path.split(separator: "/")
        let methods = routes.withLock { routes in
            routes.filter { Self.matches($0.components, parts) }.reduce(into: Set<HTTPRequest.Method>()) {
                $0.formUnion($1.methods)
            }
        }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    private static func matches(_ pattern: [Substring], _ parts: [Substring]) -> Bool {
        for (index, component) in pattern.enumerated() {
            if component == "**" { return true }
            guard index < parts.count else { return false }
            if component == "*" || component.contains("{") { continue }
            if component != parts[index] { return false }
        }
        return pattern.count == parts.count
    }
}
