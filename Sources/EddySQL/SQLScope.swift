import EddyStream

/// The columns a query's expressions can name before aggregation, and the names that qualify them: resolves
/// `m.location`, `p.product_name` to the engine's column paths, with "did you mean" hints.
struct SQLScope: Sendable {
    var columns: [Column]
    /// Names a column may be prefixed with: the source, its alias.
    var qualifiers: Set<String>

    /// The engine's name for a column reference (`location`, `p.product_name`), or a precise error.
    func resolve(_ parts: [String], at position: SourcePosition) throws(SQLError) -> (
        path: String, type: ColumnType
    ) {
        var parts = parts
        if parts.count > 1, qualifiers.contains(parts[0]), !columns.contains(where: { $0.name == parts[0] }) {
            parts.removeFirst()
        }
        guard let column = columns.first(where: { $0.name == parts[0] }) else {
            let hint =
                closestName(to: parts[0], in: columns.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
            throw SQLError(.unknownName, "column '\(parts[0])' does not exist\(hint)", at: position)
        }
        var type = column.type
        for field in parts.dropFirst() {
            guard case .object(let fields) = type else {
                throw SQLError(
                    .invalid,
                    "'\(parts.prefix { $0 != field }.joined(separator: "."))' is \(SQLTypeName.render(type)), not a row with fields",
                    at: position)
            }
            guard let f = fields.first(where: { $0.name == field }) else {
                let hint =
                    closestName(to: field, in: fields.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
                throw SQLError(
                    .unknownName, "field '\(field)' does not exist in '\(parts[0])'\(hint)", at: position)
            }
            type = f.type
        }
        return (parts.joined(separator: "."), type)
    }
}
