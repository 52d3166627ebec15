/// A compiled stateless operator: filter, projection, explode or map. A chain of them turns one input row
/// into zero or more output rows.
enum RowStep: Sendable {
    case filter(@Sendable (Row) -> Value)
    case filterRows(ColumnIndex, @Sendable (RowAccess) -> Bool)
    case project([@Sendable (Row) -> Value])
    case map(ColumnIndex, Int, @Sendable (RowAccess) -> Row)
    case explode(index: Int, keepEmpty: Bool)
}

extension [RowStep] {
    /// Runs `row` through the steps from `start`, calling `emit` with every surviving row.
    func apply(_ row: Row, from start: Int = 0, _ emit: (Row) -> Void) {
        var row = row
        var i = start
        while i < count {
            switch self[i] {
            case .filter(let condition):
                guard case .bool(true) = condition(row) else { return }
            case .filterRows(let columns, let predicate):
                guard predicate(RowAccess(columns: columns, values: row)) else { return }
            case .project(let items):
                var out = Row()
                out.reserveCapacity(items.count)
                for item in items { out.append(item(row)) }
                row = out
            case .map(let columns, let width, let transform):
                var out = transform(RowAccess(columns: columns, values: row))
                // A transform returning the wrong width is padded or cut rather than crashing later stages.
                if out.count < width {
                    out.append(contentsOf: repeatElement(.null, count: width - out.count))
                }
                if out.count > width { out.removeLast(out.count - width) }
                row = out
            case .explode(let index, let keepEmpty):
                let elements: [Value]
                if case .array(let a) = row[index] { elements = a } else { elements = [] }
                if elements.isEmpty {
                    guard keepEmpty else { return }
                    row[index] = .null
                    break
                }
                for element in elements {
                    var copy = row
                    copy[index] = element
                    apply(copy, from: i + 1, emit)
                }
                return
            }
            i += 1
        }
        emit(row)
    }
}
