import EddyFormats

extension ColumnArray {
    /// The rows at `indices`, in that order (flat columns; nested ones are returned whole).
    func taking(_ indices: [Int]) -> ColumnArray {
        guard let values else { return self }
        let validity = self.validity.map { v in indices.map { v[$0] } }
        switch values {
        case .boolean(let v): return ColumnArray(.boolean(indices.map { v[$0] }), validity: validity)
        case .int32(let v): return ColumnArray(.int32(indices.map { v[$0] }), validity: validity)
        case .int64(let v): return ColumnArray(.int64(indices.map { v[$0] }), validity: validity)
        case .float(let v): return ColumnArray(.float(indices.map { v[$0] }), validity: validity)
        case .double(let v): return ColumnArray(.double(indices.map { v[$0] }), validity: validity)
        case .bytes:
            var offsets: [Int32] = [0]
            var data: [UInt8] = []
            for i in indices {
                data += values.bytes(at: i)
                offsets.append(Int32(data.count))
            }
            return ColumnArray(.bytes(offsets: offsets, data: data), validity: validity)
        case .fixed(let width, _):
            var data: [UInt8] = []
            for i in indices { data += values.bytes(at: i) }
            return ColumnArray(.fixed(width: width, data: data), validity: validity)
        }
    }
}
