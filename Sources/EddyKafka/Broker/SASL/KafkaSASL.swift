import Foundation

/// SASL on the Kafka listener: the mechanism every client must use and the users it accepts. Only the
/// salted SCRAM keys of each password are kept, and nothing about a password is ever logged.
///
/// ```swift
/// var configuration = KafkaBrokerConfiguration()
/// configuration.sasl = try KafkaSASL(
///     mechanism: .scramSHA256, users: KafkaSASL.parseUsers("alice:secret\nbob:hunter2"))
/// ```
public struct KafkaSASL: Sendable {
    public var mechanism: SASLMechanism
    let credentials: [String: SASLCredential]

    /// `users` maps user names to passwords; at least one user is needed.
    public init(mechanism: SASLMechanism, users: [String: String]) throws(KafkaSASLError) {
        guard !users.isEmpty else { throw .noUsers }
        self.mechanism = mechanism
        credentials = users.mapValues { SASLCredential(password: $0) }
    }

    public var userNames: [String] { credentials.keys.sorted() }

    /// Reads `name:password` lines (blank lines and lines starting with `#` are skipped; the password is
    /// everything after the first colon, to the end of the line) or, in one line, `name:password` entries
    /// separated by commas.
    public static func parseUsers(_ text: String) throws(KafkaSASLError) -> [String: String] {
        var users: [String: String] = [:]
        // "\r\n" is one Character, which a split on "\n" would not see.
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        while let last = lines.last, last.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            lines.removeLast()
        }
        let entries = lines.count == 1 ? lines[0].components(separatedBy: ",") : lines
        for (number, raw) in entries.enumerated() {
            let entry = raw.hasSuffix("\r") ? raw.dropLast() : raw[...]
            let visible = entry.trimmingCharacters(in: .whitespaces)
            if visible.isEmpty || visible.hasPrefix("#") { continue }
            guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex,
                entry.index(after: colon) != entry.endIndex
            else { throw .malformedEntry(number + 1) }
            let name = String(entry[..<colon])
            guard users[name] == nil else { throw .duplicateUser(name) }
            users[name] = String(entry[entry.index(after: colon)...])
        }
        guard !users.isEmpty else { throw .noUsers }
        return users
    }
}

/// Why a SASL configuration was refused. The messages never include a password.
public enum KafkaSASLError: Error, Equatable, CustomStringConvertible {
    case noUsers
    case malformedEntry(Int)
    case duplicateUser(String)

    public var description: String {
        switch self {
        case .noUsers: "no SASL users given (one name:password per line)"
        case .malformedEntry(let number):
            "SASL users entry \(number) is not name:password (both non-empty)"
        case .duplicateUser(let name): "SASL user '\(name)' is listed twice"
        }
    }
}
