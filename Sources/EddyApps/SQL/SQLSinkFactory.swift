import EddyConnectors
public import EddyLog
public import EddySQL
public import EddyStream

/// The sink a SQL output's `sink` option names: `console`, `table`, `json`, `topic:NAME`, `sqlite:PATH`,
/// `postgres://…`, `parquet:DIR`, `csv:DIR`. `console` is what the run prints (nil when nothing is printed).
///
/// ```swift
/// let sink = try SQLSinkFactory.sink(for: "sqlite:eddy-data/areas.sqlite", console: ConsoleSink(), log: log)
/// ```
public enum SQLSinkFactory {
    public struct UnknownSink: Error, CustomStringConvertible {
        public var description: String
    }

    public static func sink(for target: String, console: (any Sink)?, log: any Log) throws -> (any Sink)? {
        switch target.lowercased() {
        case "console": return console
        case "table": return ConsoleSink()
        case "json": return JSONLinesSink(includeTable: true)
        default: break
        }
        if target.hasPrefix("topic:") {
            let topic = String(target.dropFirst("topic:".count))
            guard !topic.isEmpty else { throw UnknownSink(description: "sink 'topic:' needs a topic name") }
            return try TopicSink(log: log, topic: topic)
        }
        let url: SinkURL
        do {
            url = try SinkURL(parsing: target)
        } catch .unknownScheme {
            // Masked: the text may be a URL with a password the parser did not recognise.
            throw UnknownSink(
                description:
                    "sink '\(SinkURL.redacted(target))' is not console, table, json, topic:NAME, sqlite:PATH, postgres://…, parquet:DIR or csv:DIR"
            )
        } catch {
            // A known scheme, malformed: the URL error says where (and masks the password).
            throw UnknownSink(description: "sink \(error.description)")
        }
        switch url {
        case .sqlite(let path): return try SQLiteSink(path: path)
        case .postgres(let endpoint): return PostgresSink(endpoint: endpoint)
        case .parquet(let directory): return try FileSink(directory: directory, format: .parquet)
        case .csv(let directory): return try FileSink(directory: directory, format: .csv)
        }
    }

    /// The sink of one output of a SQL file (its declaration's `sink`, default `console`).
    public static func sink(for output: SQLScript.Output, console: (any Sink)?, log: any Log) throws -> (
        any Sink
    )? {
        try sink(for: output.sink?.options["sink"] ?? "console", console: console, log: log)
    }
}
