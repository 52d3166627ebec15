import PostgresNIO

/// Why a ``PostgresSink`` operation failed for good.
public enum PostgresSinkError: Error, Sendable, CustomStringConvertible {
    /// The server could not be reached (or kept failing) for `attempts` attempts.
    case unreachable(endpoint: String, attempts: Int, lastError: String)
    /// The server refused the statements (a permanent error: retrying would not help).
    case rejected(String, String)
    case closed

    public var description: String {
        switch self {
        case .unreachable(let endpoint, let attempts, let lastError):
            "PostgreSQL at \(endpoint) unreachable after \(attempts) attempt(s): \(lastError); "
                + "check that the server runs and accepts connections there"
        case .rejected(let what, let message): "PostgreSQL refused \(what): \(message)"
        case .closed: "the PostgreSQL sink is closed"
        }
    }
}

/// An error from postgres-nio classified for retrying, with a readable message. postgres-nio's own
/// `description` is deliberately vague (to never leak data); we pick out the safe parts: the code, the
/// server's message and SQLSTATE, and the network error underneath.
struct PostgresFailure {
    var isTransient: Bool
    var message: String

    init(_ error: any Error) {
        guard let error = error as? PSQLError else {
            // Connection refused, DNS failure, timeouts: network errors raised before PostgreSQL spoke. Anything
            // else (decoding, cancellation) would fail the same way again.
            isTransient = !(error is CancellationError || error is PostgresDecodingError)
            message = "\(error)"
            return
        }
        var parts = ["\(error.code)"]
        if let serverMessage = error.serverInfo?[.message] { parts.append(serverMessage) }
        if let state = error.serverInfo?[.sqlState] { parts.append("SQLSTATE \(state)") }
        if let underlying = error.underlying { parts.append("\(underlying)") }
        message = parts.joined(separator: ": ")
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            isTransient = true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now (starting up);
            // 40001/40P01: serialization failure, deadlock — the transaction may simply be retried.
            isTransient =
                state.hasPrefix("08")
                || ["57P01", "57P02", "57P03", "40001", "40P01", "53300"].contains(state)
        default:
            isTransient = false
        }
    }
}
