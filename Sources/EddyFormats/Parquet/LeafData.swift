/// One leaf column's decoded pages, concatenated over the row groups read: the dense non-null values
/// and, when the leaf is optional or repeated, one definition and repetition level per entry.
struct LeafData {
    var values: ValuesBuilder
    /// One byte per level: levels above 255 (nesting that deep) are refused when read.
    var definitionLevels: [UInt8] = []
    var repetitionLevels: [UInt8] = []
    let maxDefinition: Int
    let maxRepetition: Int

    init(_ node: SchemaNode) {
        let element = node.element
        values = ValuesBuilder(type: element.type ?? .int32, width: element.typeLength ?? 0)
        maxDefinition = node.definitionLevel
        maxRepetition = node.repetitionLevel
    }

    /// Sizes the levels and values for `entries` level entries (the chunks' value counts) up front.
    mutating func reserve(_ entries: Int) {
        values.reserve(entries)
        if maxDefinition > 0 { definitionLevels.reserveCapacity(entries) }
        if maxRepetition > 0 { repetitionLevels.reserveCapacity(entries) }
    }

    /// Entries (level pairs); equal to the value count for a required, non-repeated leaf.
    var entryCount: Int { maxDefinition > 0 ? definitionLevels.count : values.count }
}
