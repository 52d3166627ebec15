/// Where a piece of SQL starts in the text: line and column from 1, as editors count them.
///
/// ```swift
/// let position = SourcePosition(line: 1, column: 8, offset: 7)
/// position.description   // "1:8"
/// ```
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    /// Characters before this position in the whole text.
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static let start = SourcePosition(line: 1, column: 1, offset: 0)

    public var description: String { "\(line):\(column)" }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool { lhs.offset < rhs.offset }
}
