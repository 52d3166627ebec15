/// PLAIN encoding of dense values (the values of the non-null slots, in order).
enum PlainEncoder {
    static func encode(_ values: ColumnValues, _ slots: [Int32]?, range: Range<Int>, into out: inout [UInt8])
    {
        // `slots`: the indices to encode (the non-null ones); nil means every index of `range`.
        func fixed<T>(_ array: [T]) {
            let size = MemoryLayout<T>.size
            array.withUnsafeBytes { raw in
                if let slots {
                    out.reserveCapacity(out.count + slots.count * size)
                    for i in slots {
                        out.append(
                            contentsOf: UnsafeRawBufferPointer(
                                rebasing: raw[Int(i) * size..<(Int(i) + 1) * size]))
                    }
                } else {
                    out.append(
                        contentsOf: UnsafeRawBufferPointer(
                            rebasing: raw[range.lowerBound * size..<range.upperBound * size]))
                }
            }
        }
        switch values {
        case .boolean(let v):
            var acc: UInt8 = 0
            var bits = 0
            func push(_ b: Bool) {
                if b { acc |= 1 << UInt8(bits) }
                bits += 1
                if bits == 8 {
                    out.append(acc)
                    acc = 0
                    bits = 0
                }
            }
            if let slots { for i in slots { push(v[Int(i)]) } } else { for i in range { push(v[i]) } }
            if bits > 0 { out.append(acc) }
        case .int32(let v): fixed(v)
        case .int64(let v): fixed(v)
        case .float(let v): fixed(v)
        case .double(let v): fixed(v)
        case .bytes(let offsets, let data):
            data.withUnsafeBytes { raw in
                func one(_ i: Int) {
                    let start = Int(offsets[i])
                    let end = Int(offsets[i + 1])
                    var length = UInt32(end - start).littleEndian
                    withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                }
                if let slots { for i in slots { one(Int(i)) } } else { for i in range { one(i) } }
            }
        case .fixed(let width, let data):
            if let slots {
                for i in slots { out.append(contentsOf: data[Int(i) * width..<(Int(i) + 1) * width]) }
            } else {
                out.append(contentsOf: data[range.lowerBound * width..<range.upperBound * width])
            }
        }
    }
}
