/// Parquet's RLE / bit-packed hybrid: levels, dictionary indices and v2 booleans.
enum RLEHybrid {
    /// Decodes `count` values from `reader` (which ends where the encoded data ends), appending to `out`.
    static func decode<T: FixedWidthInteger & UnsignedInteger>(
        _ reader: inout ByteReader, bitWidth: Int, count: Int, into out: inout [T]
    ) throws(ParquetError) {
        let before = out.count
        out.append(contentsOf: repeatElement(0, count: count))
        try out.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
            try decode(&reader, bitWidth: bitWidth, count: count, into: buffer.baseAddress! + before)
        }
    }

    /// Decodes `count` values into `out`, which has room for them: runs are filled, bit-packed groups
    /// unpacked a word at a time (no closure or array append per value; this is the reader's hot loop
    /// for definition levels and dictionary indices).
    static func decode<T: FixedWidthInteger & UnsignedInteger>(
        _ reader: inout ByteReader, bitWidth: Int, count: Int, into out: UnsafeMutablePointer<T>
    ) throws(ParquetError) {
        guard bitWidth >= 0, bitWidth <= T.bitWidth else {
            throw .corrupt("RLE bit width \(bitWidth) is above \(T.bitWidth)")
        }
        var done = 0
        let byteWidth = (bitWidth + 7) / 8
        while done < count {
            guard reader.remaining > 0 else {
                throw .corrupt("RLE data ends with \(count - done) of \(count) values missing")
            }
            let header = try reader.varint()
            if header & 1 == 0 {
                let run = Int(clamping: header >> 1)
                guard run > 0 else { throw .corrupt("empty RLE run") }
                let value = T(truncatingIfNeeded: try reader.littleEndian(width: byteWidth))
                let n = min(run, count - done)
                (out + done).update(repeating: value, count: n)
                done += n
            } else {
                let groups = Int(clamping: header >> 1)
                guard groups > 0, groups <= reader.remaining + 1 else { throw .corrupt("bad bit-packed run") }
                let n = min(groups * 8, count - done)
                // The last run may stop short of its padding; the values themselves must be there.
                try reader.need((n * bitWidth + 7) / 8, "a bit-packed run")
                let start = reader.position
                unpack(reader, start: start, bitWidth: bitWidth, count: n, into: out + done)
                reader.position = start + min(groups * bitWidth, reader.remaining)
                done += n
            }
        }
    }

    /// Unpacks `count` values of `bitWidth` (0...T.bitWidth, at most 32) bits, LSB first, from byte `start` of `reader`.
    @inline(__always)
    static func unpack<T: FixedWidthInteger & UnsignedInteger>(
        _ reader: ByteReader, start: Int, bitWidth: Int, count: Int, into out: UnsafeMutablePointer<T>
    ) {
        guard bitWidth > 0 else {
            out.update(repeating: 0, count: count)
            return
        }
        let mask = (UInt64(1) << UInt64(bitWidth)) &- 1
        let available = reader.end - start
        // Values whose 8-byte window lies inside the data are read with one unaligned load each.
        let fast = available >= 8 ? min(count, ((available - 7) * 8 - 1) / bitWidth + 1) : 0
        let base = reader.base.baseAddress! + start
        var bit = 0
        for i in 0..<fast {
            let word = UInt64(littleEndian: (base + bit &>> 3).loadUnaligned(as: UInt64.self))
            out[i] = T(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
            bit &+= bitWidth
        }
        for i in fast..<max(fast, count) {
            let word = reader.word(at: start + bit >> 3)
            out[i] = T(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit += bitWidth
        }
    }

    /// Encodes `values` with `bitWidth` bits each: long repeats as RLE runs, the rest bit-packed by 8.
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        let byteWidth = (bitWidth + 7) / 8
        var pending = 0  // values[literalStart..<literalStart + pending] wait to be bit-packed
        var literalStart = 0
        var i = 0
        let n = values.count

        func varint(_ value: Int) {
            var v = UInt64(value)
            while v >= 0x80 {
                out.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            out.append(UInt8(v))
        }
        // Bit-packs the first `count` pending values (a multiple of 8 except for the last call).
        func flushLiterals(_ count: Int) {
            guard count > 0 else { return }
            let groups = (count + 7) / 8
            varint(groups << 1 | 1)
            var acc: UInt64 = 0
            var bits = 0
            for k in 0..<groups * 8 {
                let v = k < count ? UInt64(values[literalStart + k]) : 0
                acc |= v << UInt64(bits)
                bits += bitWidth
                while bits >= 8 {
                    out.append(UInt8(truncatingIfNeeded: acc))
                    acc >>= 8
                    bits -= 8
                }
            }
            if bits > 0 { out.append(UInt8(truncatingIfNeeded: acc)) }
            literalStart += count
            pending -= count
        }

        while i < n {
            var run = 1
            let value = values[i]
            while i + run < n && values[i + run] == value { run += 1 }
            if run >= 8 {
                // Top the pending literals up to a multiple of 8 from the run (padding is only allowed last).
                let fill = (8 - pending % 8) % 8
                if pending > 0 {
                    let take = min(fill, run)
                    pending += take
                    i += take
                    run -= take
                    flushLiterals(pending)
                }
                if run >= 8 {
                    varint(run << 1)
                    var v = value
                    for _ in 0..<byteWidth {
                        out.append(UInt8(truncatingIfNeeded: v))
                        v >>= 8
                    }
                    i += run
                    literalStart = i
                } else {
                    literalStart = i
                    pending = run
                    i += run
                }
            } else {
                if pending == 0 { literalStart = i }
                pending += run
                i += run
                if pending >= 504 { flushLiterals(pending / 8 * 8) }
            }
        }
        flushLiterals(pending)
    }

    /// Bits needed for values up to `maxValue`.
    static func bitWidth(_ maxValue: Int) -> Int {
        maxValue == 0 ? 0 : Int.bitWidth - maxValue.leadingZeroBitCount
    }
}
