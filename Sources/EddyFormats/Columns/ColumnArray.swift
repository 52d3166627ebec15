/// One column of a batch of rows, Arrow-style: `count` slots, a validity per slot (nil when none is
/// null), and either typed values, list offsets into a child column, or one child column per struct field.
///
/// ```swift
/// let readings = ColumnArray(.double([1.5, 0, 2.25]), validity: [true, false, true])
/// let tags = ColumnArray(list: [0, 2, 2], element: ColumnArray(ColumnValues.strings(["a", "b"])))
/// ```
public struct ColumnArray: Equatable, Sendable {
    public indirect enum Storage: Equatable, Sendable {
        case values(ColumnValues)
        /// Row i's elements are `element[offsets[i]..<offsets[i + 1]]`.
        case list(offsets: [Int32], element: ColumnArray)
        case structure([ColumnArray])
    }

    public var count: Int
    /// nil: every slot holds a value.
    public var validity: [Bool]?
    public var storage: Storage

    public init(_ values: ColumnValues, validity: [Bool]? = nil) {
        self.count = values.count
        self.validity = validity
        self.storage = .values(values)
    }

    public init(list offsets: [Int32], element: ColumnArray, validity: [Bool]? = nil) {
        self.count = max(0, offsets.count - 1)
        self.validity = validity
        self.storage = .list(offsets: offsets, element: element)
    }

    public init(structure children: [ColumnArray], count: Int, validity: [Bool]? = nil) {
        self.count = count
        self.validity = validity
        self.storage = .structure(children)
    }

    public func isNull(_ index: Int) -> Bool {
        guard let validity else { return false }
        return !validity[index]
    }

    public var nullCount: Int {
        guard let validity else { return 0 }
        var nulls = 0
        for valid in validity where !valid { nulls += 1 }
        return nulls
    }

    /// The typed values, for a column that is not nested.
    public var values: ColumnValues? {
        if case .values(let v) = storage { return v }
        return nil
    }
}

/// Columns with their schema: what a Parquet row group or a CSV file holds, and what the writers take.
///
/// ```swift
/// let table = try ColumnTable(
///     fields: [Field("id", .int64), Field("name", .string)],
///     columns: [ColumnArray(.int64([1, 2])), ColumnArray(ColumnValues.strings(["a", "b"]))])
/// try ParquetWriter.write(table, to: "out.parquet")
/// ```
public struct ColumnTable: Equatable, Sendable {
    public var fields: [Field]
    public var columns: [ColumnArray]
    public var rowCount: Int

    public init(fields: [Field], columns: [ColumnArray]) throws(ParquetError) {
        guard fields.count == columns.count else {
            throw ParquetError(.invalidInput, "\(fields.count) fields but \(columns.count) columns")
        }
        let rows = columns.first?.count ?? 0
        for (field, column) in zip(fields, columns) where column.count != rows {
            throw ParquetError(
                .invalidInput, "column has \(column.count) rows, the first has \(rows)", column: field.name)
        }
        self.fields = fields
        self.columns = columns
        self.rowCount = rows
    }

    /// An empty table of this schema.
    init(uncheckedFields fields: [Field], columns: [ColumnArray], rowCount: Int) {
        self.fields = fields
        self.columns = columns
        self.rowCount = rowCount
    }
}
