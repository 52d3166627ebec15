import EddyStream

/// Why a SQL text cannot be parsed, planned or run, with the place in the text it is about.
///
/// ```swift
/// do { _ = try SQLParser.parse("SELECT locaton FROM motion") } catch { print(error) }
/// // column 'locaton' does not exist (did you mean 'location'?) at 1:8
/// ```
public struct SQLError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The text is not SQL this parser understands.
        case syntax
        /// A name that refers to nothing: a column, a source, a sink.
        case unknownName
        /// Valid SQL that a streaming query cannot run (or the engine does not support yet).
        case unsupported
        /// Types that do not fit, or a rule of the engine (output modes) that the query breaks.
        case invalid
    }

    public var kind: Kind
    public var message: String
    public var position: SourcePosition?

    public init(_ kind: Kind, _ message: String, at position: SourcePosition?) {
        self.kind = kind
        self.message = message
        self.position = position
    }

    public var description: String {
        position.map { "\(message) at \($0)" } ?? message
    }

    static func syntax(_ message: String, at position: SourcePosition) -> SQLError {
        SQLError(.syntax, message, at: position)
    }

    static func unsupported(_ message: String, at position: SourcePosition?) -> SQLError {
        SQLError(.unsupported, "unsupported in a streaming query: \(message)", at: position)
    }

    /// An engine error met while building the planned pipeline, pinned to the clause it is about.
    static func engine(_ error: PipelineError, at position: SourcePosition?) -> SQLError {
        switch error {
        case .unknownColumn: SQLError(.unknownName, error.description, at: position)
        case .unsupported: SQLError(.unsupported, error.description, at: position)
        default: SQLError(.invalid, error.description, at: position)
        }
    }
}

/// The closest of `candidates` to `name` when it is close enough to be a typo, for "did you mean" hints.
func closestName(to name: String, in candidates: [String]) -> String? {
    let target = Array(name.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
        let d = editDistance(target, Array(candidate.lowercased()))
        if d <= max(1, target.count / 3), best == nil || d < best!.1 { best = (candidate, d) }
    }
    return best?.0
}

private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = Swift.min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
