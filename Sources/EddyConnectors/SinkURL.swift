/// Where `--sink` sends results: `sqlite:PATH`, `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, or a folder of
/// files, `parquet:DIR` or `csv:DIR` (see ``FileSink``).
///
/// The description never shows the password, so a ``SinkURL`` is safe to log.
///
/// ```swift
/// let url = try SinkURL(parsing: "postgres://eddy:secret@127.0.0.1:5432/shop")
/// print(url)   // postgres://eddy:***@127.0.0.1:5432/shop
/// ```
public enum SinkURL: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresEndpoint)
    /// A folder of Parquet files committed through a commit log (``FileSink``).
    case parquet(directory: String)
    /// A folder of CSV files committed the same way.
    case csv(directory: String)

    public init(parsing text: String) throws(SinkURLError) {
        if text.hasPrefix("sqlite:") {
            var path = Substring(text.dropFirst("sqlite:".count))
            // sqlite:///abs/path and sqlite://rel (URL habits) mean the same as sqlite:/abs/path and sqlite:rel.
            if path.hasPrefix("//") { path = path.dropFirst(2) }
            guard !path.isEmpty else { throw .missingPath(text) }
            self = .sqlite(path: String(path))
        } else if let format = FileFormat.allCases.first(where: { text.hasPrefix($0.rawValue + ":") }) {
            var path = Substring(text.dropFirst(format.rawValue.count + 1))
            if path.hasPrefix("//") { path = path.dropFirst(2) }
            guard !path.isEmpty else { throw .missingDirectory(text) }
            self = format == .parquet ? .parquet(directory: String(path)) : .csv(directory: String(path))
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresEndpoint(parsing: text))
        } else {
            throw .unknownScheme(Self.redacted(text))
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let endpoint): endpoint.description
        case .parquet(let directory): "parquet:\(directory)"
        case .csv(let directory): "csv:\(directory)"
        }
    }

    /// `text` with anything between `://user:` and `@` masked, for error messages about unparseable input.
    ///
    /// ```swift
    /// SinkURL.redacted("postgres://eddy:secret@db/shop")   // "postgres://eddy:***@db/shop"
    /// ```
    public static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.firstRange(of: "://"),
            let at = text[schemeEnd.upperBound...].lastIndex(of: "@"),
            let colon = text[schemeEnd.upperBound..<at].firstIndex(of: ":")
        else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }
}

/// A PostgreSQL server and database to connect to.
public struct PostgresEndpoint: Sendable, Hashable, CustomStringConvertible {
    public static let defaultPort = 5432

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String

    public init(
        user: String, password: String? = nil, host: String, port: Int = Self.defaultPort, database: String
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
    }

    /// Parses `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (also `postgresql://`); user and password may
    /// be percent-encoded. `?sslmode=disable` is accepted; other options are refused rather than ignored.
    public init(parsing text: String) throws(SinkURLError) {
        let shown = SinkURL.redacted(text)
        guard let schemeEnd = text.firstRange(of: "://") else { throw .unknownScheme(shown) }
        var rest = Substring(text[schemeEnd.upperBound...])
        if let question = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: question)...]
            rest = rest[..<question]
            for option in query.split(separator: "&") where option != "sslmode=disable" {
                throw .unsupportedOption(String(option), url: shown)
            }
        }
        guard let at = rest.lastIndex(of: "@") else { throw .missingUser(shown) }
        let userInfo = rest[..<at]
        let hostAndPath = rest[rest.index(after: at)...]
        if let colon = userInfo.firstIndex(of: ":") {
            user = try Self.percentDecoded(userInfo[..<colon], url: shown)
            password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...], url: shown)
        } else {
            user = try Self.percentDecoded(userInfo, url: shown)
            password = nil
        }
        guard !user.isEmpty else { throw .missingUser(shown) }
        guard let slash = hostAndPath.firstIndex(of: "/") else { throw .missingDatabase(shown) }
        database = try Self.percentDecoded(hostAndPath[hostAndPath.index(after: slash)...], url: shown)
        guard !database.isEmpty else { throw .missingDatabase(shown) }
        let hostPort = hostAndPath[..<slash]
        if hostPort.hasPrefix("[") {
            // An IPv6 literal: [::1]:5432
            guard let close = hostPort.firstIndex(of: "]") else {
                throw .invalidHost(String(hostPort), url: shown)
            }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            port = after.isEmpty ? Self.defaultPort : try Self.port(after.dropFirst(), url: shown)
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            port = try Self.port(hostPort[hostPort.index(after: colon)...], url: shown)
        } else {
            host = String(hostPort)
            port = Self.defaultPort
        }
        guard !host.isEmpty else { throw .invalidHost(host, url: shown) }
    }

    /// The URL with the password masked.
    public var description: String {
        let credentials = password == nil ? user : "\(user):***"
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(credentials)@\(hostText):\(port)/\(database)"
    }

    private static func port(_ text: Substring, url: String) throws(SinkURLError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw .invalidPort(String(text), url: url)
        }
        return port
    }

    private static func percentDecoded(_ text: Substring, url: String) throws(SinkURLError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue)
            else {
                throw .invalidPercentEncoding(url: url)
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Why a `--sink` value was refused. Messages never include a password.
public enum SinkURLError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownScheme(String)
    case missingPath(String)
    case missingDirectory(String)
    case missingUser(String)
    case missingDatabase(String)
    case invalidHost(String, url: String)
    case invalidPort(String, url: String)
    case invalidPercentEncoding(url: String)
    case unsupportedOption(String, url: String)

    private static let forms =
        "use sqlite:PATH, postgres://USER[:PASSWORD]@HOST:PORT/DATABASE, parquet:DIR or csv:DIR"

    public var description: String {
        switch self {
        case .unknownScheme(let url): "unknown sink '\(url)'; \(Self.forms)"
        case .missingPath(let url): "'\(url)' names no file; write sqlite:PATH, e.g. sqlite:data/sales.sqlite"
        case .missingDirectory(let url):
            "'\(url)' names no folder; write parquet:DIR or csv:DIR, e.g. parquet:out/sales"
        case .missingUser(let url): "'\(url)' has no user; write postgres://USER@HOST:PORT/DATABASE"
        case .missingDatabase(let url): "'\(url)' names no database; end it with /DATABASE"
        case .invalidHost(let host, let url): "'\(url)': invalid host '\(host)'"
        case .invalidPort(let port, let url): "'\(url)': invalid port '\(port)'; use a number from 1 to 65535"
        case .invalidPercentEncoding(let url): "'\(url)': a '%' must be followed by two hex digits"
        case .unsupportedOption(let option, let url):
            "'\(url)': option '\(option)' is not supported (only sslmode=disable; TLS is not implemented yet)"
        }
    }
}
