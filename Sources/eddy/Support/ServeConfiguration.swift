import EddyConnectors
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
/// A pipeline's `kind` is a seed pipeline (`retail`, `sales`) and also its name in the API. `topic`
/// defaults to the seed's; `sink` (sales only) is `sqlite:PATH` or `postgres://USER[:PASSWORD]@HOST:PORT/DB`,
/// default `sqlite:<dataDir>/sales.sqlite`. Unknown keys are refused with their name, so a typo is never
/// silently ignored.
struct ServeConfiguration: Equatable {
    struct Pipeline: Equatable {
        var kind: SeedPipeline
        var topic: String?
        var sink: SinkURL?
    }

    var host: String?
    var port: Int?
    var dataDir: String?
    var pipelines: [Pipeline] = []

    static func load(path: String) throws -> ServeConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError.invalidArgument(
                "--config \(path): cannot read the file (\(error.localizedDescription))")
        }
        do {
            return try parse(data)
        } catch {
            throw CLIError.invalidArgument("--config \(path): \(error.message)")
        }
    }

    struct Problem: Error {
        var message: String
    }

    static func parse(_ data: Data) throws(Problem) -> ServeConfiguration {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw Problem(message: "not valid JSON (\(error.localizedDescription))")
        }
        guard let object = root as? [String: Any] else {
            throw Problem(message: "the top level must be an object")
        }
        try refuseUnknownKeys(object, known: ["host", "port", "dataDir", "pipelines"], at: "")
        var configuration = ServeConfiguration()
        configuration.host = try string(object, "host", at: "")
        if let port = object["port"] {
            // JSON's true/false arrive as NSNumbers too (objCType "c"); only a real integer is a port.
            guard let boxed = port as? NSNumber, String(cString: boxed.objCType) != "c",
                let number = port as? Int,
                (0...65535).contains(number)
            else {
                throw Problem(message: "'port' must be an integer from 0 to 65535")
            }
            configuration.port = number
        }
        configuration.dataDir = try string(object, "dataDir", at: "")
        if let list = object["pipelines"] {
            guard let entries = list as? [Any] else { throw Problem(message: "'pipelines' must be a list") }
            for (index, entry) in entries.enumerated() {
                let place = "pipelines[\(index)]."
                guard let fields = entry as? [String: Any] else {
                    throw Problem(message: "pipelines[\(index)] must be an object")
                }
                try refuseUnknownKeys(fields, known: ["kind", "topic", "sink"], at: place)
                guard let kindName = try string(fields, "kind", at: place) else {
                    throw Problem(message: "'\(place)kind' is missing (one of \(SeedPipeline.names))")
                }
                guard let kind = SeedPipeline(rawValue: kindName) else {
                    throw Problem(
                        message: "'\(place)kind' is '\(kindName)'; expected one of \(SeedPipeline.names)")
                }
                guard !configuration.pipelines.contains(where: { $0.kind == kind }) else {
                    throw Problem(message: "pipeline '\(kindName)' appears twice")
                }
                var sink: SinkURL?
                if let text = try string(fields, "sink", at: place) {
                    guard kind == .sales else {
                        throw Problem(message: "'\(place)sink' applies to sales only")
                    }
                    do {
                        sink = try SinkURL(parsing: text)
                    } catch {
                        throw Problem(message: "'\(place)sink': \(error)")
                    }
                }
                configuration.pipelines.append(
                    Pipeline(kind: kind, topic: try string(fields, "topic", at: place), sink: sink))
            }
        }
        return configuration
    }

    private static func string(_ object: [String: Any], _ key: String, at place: String) throws(Problem)
        -> String?
    {
        guard let value = object[key] else { return nil }
        guard let text = value as? String, !text.isEmpty else {
            throw Problem(message: "'\(place)\(key)' must be a non-empty string")
        }
        return text
    }

    private static func refuseUnknownKeys(_ object: [String: Any], known: Set<String>, at place: String)
        throws(Problem)
    {
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw Problem(
                message: "unknown key '\(place)\(unknown)' (known: \(known.sorted().joined(separator: ", ")))"
            )
        }
    }
}
