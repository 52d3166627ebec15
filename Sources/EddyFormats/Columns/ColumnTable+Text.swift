extension ColumnTable {
    /// The value at (`row`, `column`) as CSV text: nil for null; numbers and booleans as in JSON;
    /// timestamps, dates and decimals as in `jsonObject(row:)`; nested values as JSON.
    public func text(row: Int, column: Int) -> [UInt8]? {
        let array = columns[column]
        if array.isNull(row) { return nil }
        var out: [UInt8] = []
        JSONRendering.value(array, fields[column].type, row, to: &out)
        // Strings, timestamps and dates render as JSON strings: CSV wants their plain text.
        if case .values = array.storage, out.first == UInt8(ascii: "\""), !fields[column].type.isNested {
            switch (fields[column].type, array.values) {
            case (.string, .some(.bytes)): return Array(array.values!.bytes(at: row))
            default: return unquoteSimple(out)
            }
        }
        return out
    }

    private func unquoteSimple(_ quoted: [UInt8]) -> [UInt8] {
        Array(quoted.dropFirst().dropLast())  // ISO text and base64 contain no escapes
    }
}
