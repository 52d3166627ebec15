import EddyApps
import Foundation

/// `eddy serve --config FILE`: what to serve, as JSON. Every key is optional; a flag given on the command
/// line wins over the file.
///
/// ```json
/// {
///   "host": "127.0.0.1",
///   "port": 8080,
///   "dataDir": "eddy-data",
///   "pipelines": [
///     {"kind": "retail", "topic": "motion"},
///     {"kind": "sales", "topic": "ecommerce_sales", "sink": "sqlite:eddy-data/sales.sqlite"}
///   ]
/// }
/// ```
///
/// A pipeline's `kind` names an app of the registry (`retail`, `sales`, …) and is also its name in the API.
/// Every app takes `topic` (default: the app's); other keys are the app's own settings (``EddyApp/settings``,
/// e.g. the sales `sink`), checked when the file is read. Unknown keys are refused with their name, so a
/// typo is never silently ignored.
struct ServeConfiguration: Equatable, Decodable {
    struct Pipeline: Equatable {
        var kind: String
        /// `topic` and the app's settings, as written.
        var settings: [String: String] = [:]
    }

    var host: String?
    var port: Int?
    var dataDir: String?
    var pipelines: [Pipeline] = []

    init() {}

    static func load(path: String, registry: AppRegistry = .standard) throws -> ServeConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError.invalidArgument(
                "--config \(path): cannot read the file (\(error.localizedDescription))")
        }
        do {
            return try parse(data, registry: registry)
        } catch {
            throw CLIError.invalidArgument("--config \(path): \(error.message)")
        }
    }

    struct Problem: Error {
        var message: String
    }

    static func parse(_ data: Data, registry: AppRegistry = .standard) throws(Problem) -> ServeConfiguration {
        let decoder = JSONDecoder()
        decoder.userInfo[.registry] = registry
        do {
            return try decoder.decode(ServeConfiguration.self, from: data)
        } catch let problem as Problem {
            throw problem
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw Problem(
                message:
                    "not valid JSON (\(context.underlyingError?.localizedDescription ?? context.debugDescription))"
            )
        } catch let error as DecodingError {
            throw Problem(message: Self.describe(error))
        } catch {
            throw Problem(message: "\(error)")
        }
    }

    init(from decoder: any Decoder) throws {
        guard let registry = decoder.userInfo[.registry] as? AppRegistry else {
            preconditionFailure("ServeConfiguration is decoded through ServeConfiguration.parse")
        }
        let container: KeyedDecodingContainer<AnyKey>
        do {
            container = try decoder.container(keyedBy: AnyKey.self)
        } catch {
            throw Problem(message: "the top level must be an object")
        }
        try Self.refuseUnknownKeys(container, known: ["host", "port", "dataDir", "pipelines"], at: "")
        host = try Self.string(container, "host", at: "")
        if container.contains(AnyKey("port")) {
            guard let port = try? container.decode(Int.self, forKey: AnyKey("port")),
                (0...65535).contains(port)
            else { throw Problem(message: "'port' must be an integer from 0 to 65535") }
            self.port = port
        }
        dataDir = try Self.string(container, "dataDir", at: "")
        guard container.contains(AnyKey("pipelines")) else { return }
        guard var list = try? container.nestedUnkeyedContainer(forKey: AnyKey("pipelines")) else {
            throw Problem(message: "'pipelines' must be a list")
        }
        while !list.isAtEnd {
            let index = list.currentIndex
            let place = "pipelines[\(index)]."
            guard let fields = try? list.nestedContainer(keyedBy: AnyKey.self) else {
                throw Problem(message: "pipelines[\(index)] must be an object")
            }
            guard let kind = try Self.string(fields, "kind", at: place) else {
                throw Problem(message: "'\(place)kind' is missing (one of \(registry.names))")
            }
            guard let app = registry.app(named: kind) else {
                throw Problem(message: "'\(place)kind' is '\(kind)'; expected one of \(registry.names)")
            }
            guard !pipelines.contains(where: { $0.kind == kind }) else {
                throw Problem(message: "pipeline '\(kind)' appears twice")
            }
            let known = ["kind", "topic"] + app.settings.map(\.name)
            try Self.refuseUnknownKeys(fields, known: Set(known), at: place)
            var pipeline = Pipeline(kind: kind)
            pipeline.settings["topic"] = try Self.string(fields, "topic", at: place)
            for setting in app.settings {
                guard let value = try Self.settingText(fields, setting.name, at: place) else { continue }
                do {
                    try setting.check(value)
                } catch {
                    throw Problem(message: "'\(place)\(setting.name)': \(error)")
                }
                pipeline.settings[setting.name] = value
            }
            pipelines.append(pipeline)
        }
    }

    private static func string(_ container: KeyedDecodingContainer<AnyKey>, _ key: String, at place: String)
        throws(Problem) -> String?
    {
        guard container.contains(AnyKey(key)) else { return nil }
        guard let text = try? container.decode(String.self, forKey: AnyKey(key)), !text.isEmpty else {
            throw Problem(message: "'\(place)\(key)' must be a non-empty string")
        }
        return text
    }

    /// A setting as its text: a string as is, a number or a boolean as written (`"top": 5`, `"seedQueryOnly": true`).
    private static func settingText(
        _ container: KeyedDecodingContainer<AnyKey>, _ key: String, at place: String
    )
        throws(Problem) -> String?
    {
        let name = AnyKey(key)
        guard container.contains(name) else { return nil }
        if let flag = try? container.decode(Bool.self, forKey: name) { return flag ? "true" : "false" }
        if let number = try? container.decode(Int64.self, forKey: name) { return String(number) }
        if let number = try? container.decode(Double.self, forKey: name) { return String(number) }
        return try string(container, key, at: place)
    }

    private static func refuseUnknownKeys(
        _ container: KeyedDecodingContainer<AnyKey>, known: Set<String>, at place: String
    ) throws(Problem) {
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw Problem(
                message: "unknown key '\(place)\(unknown)' (known: \(known.sorted().joined(separator: ", ")))"
            )
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
            .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "'\(path)': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// A JSON object key of any name, so unknown keys can be listed and refused.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension CodingUserInfoKey {
    fileprivate static let registry = CodingUserInfoKey(rawValue: "eddy.registry")!
}
