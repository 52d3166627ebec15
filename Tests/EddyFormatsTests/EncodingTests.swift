import Testing

@testable import EddyFormats

struct EncodingTests {
    func roundTrip(_ values: [UInt32], bitWidth: Int) throws -> [UInt32] {
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: bitWidth, into: &encoded) }
        var decoded: [UInt32] = []
        try withBytes(encoded) { (b) throws(ParquetError) in
            var reader = ByteReader(b)
            try RLEHybrid.decode(&reader, bitWidth: bitWidth, count: values.count, into: &decoded)
        }
        return decoded
    }

    @Test(arguments: [1, 2, 3, 7, 8, 13, 20, 32])
    func rleHybridRoundTrip(bitWidth: Int) throws {
        var random = SystemRandomNumberGenerator()
        let max = bitWidth == 32 ? UInt32.max : (UInt32(1) << UInt32(bitWidth)) - 1
        var values: [UInt32] = []
        for run in 0..<300 {
            let length = Int.random(in: 1...40, using: &random)
            if run % 3 == 0 {
                values += repeatElement(UInt32.random(in: 0...max, using: &random), count: length)
            } else {
                values += (0..<length).map { _ in UInt32.random(in: 0...max, using: &random) }
            }
        }
        #expect(try roundTrip(values, bitWidth: bitWidth) == values)
        #expect(try roundTrip(Array(values.prefix(5)), bitWidth: bitWidth) == Array(values.prefix(5)))
        #expect(try roundTrip([], bitWidth: bitWidth) == [])
    }

    @Test func rleDecodeRejectsShortData() throws {
        var encoded: [UInt8] = []
        let values = [UInt32](repeating: 5, count: 3) + [1, 2, 3, 4, 5, 6, 7]
        values.withUnsafeBufferPointer { RLEHybrid.encode($0, bitWidth: 3, into: &encoded) }
        #expect(encoded.count == 1 + 6)  // one bit-packed run: header, two groups of 8 × 3 bits
        // Cut before the last value's bits: an error (cutting only the padding is allowed, as in the spec).
        for length in 0..<(1 + (values.count * 3 + 7) / 8) {
            #expect(throws: ParquetError.self) {
                try withBytes(Array(encoded[0..<length])) { (b) throws(ParquetError) in
                    var reader = ByteReader(b)
                    var out: [UInt32] = []
                    try RLEHybrid.decode(&reader, bitWidth: 3, count: values.count, into: &out)
                }
            }
        }
    }

    @Test func snappyRoundTrip() throws {
        var inputs: [[UInt8]] = [[], [1], Array("abcabcabcabcabcabcabcabc hello hello hello".utf8)]
        inputs.append((0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7 / 13) })
        inputs.append((0..<70_000).map { _ in UInt8.random(in: 0...255) })
        inputs.append([UInt8](repeating: 9, count: 100_000))
        for input in inputs {
            let packed = Snappy.compress(input)
            let unpacked = try packed.withUnsafeBytes { try Snappy.decompress($0, expectedSize: input.count) }
            #expect(unpacked == input)
        }
        let packed = Snappy.compress(inputs[3])
        #expect(packed.count < inputs[3].count / 4)
    }

    @Test(arguments: [CompressionCodec.gzip, .zstd, .lz4Raw, .brotli, .snappy, .uncompressed])
    func codecRoundTrip(codec: CompressionCodec) throws {
        let input = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 / 3) }
        let packed = try Compression.compress(input, codec: codec)
        let unpacked = try packed.withUnsafeBytes {
            try Compression.decompress($0, codec: codec, size: input.count)
        }
        #expect(unpacked == input)
        if codec != .uncompressed {
            var corrupt = packed
            for i in stride(from: corrupt.count / 3, to: corrupt.count, by: 7) { corrupt[i] ^= 0x5A }
            // Corrupt data is an error or (rarely) wrong bytes, never a crash.
            let result = try? corrupt.withUnsafeBytes {
                try Compression.decompress($0, codec: codec, size: input.count)
            }
            #expect(result != input)
        }
    }

    @Test func timestampText() {
        #expect(
            TimeText.timestamp(1_700_000_000_123_456, .micros, utc: true) == "2023-11-14T22:13:20.123456Z")
        #expect(TimeText.timestamp(-1, .millis, utc: false) == "1969-12-31T23:59:59.999")
        #expect(
            TimeText.parseTimestamp(Array("2023-11-14T22:13:20.123456Z".utf8), unit: .micros)
                == 1_700_000_000_123_456)
        #expect(
            TimeText.parseTimestamp(Array("2023-11-14T23:13:20+01:00".utf8), unit: .millis)
                == 1_700_000_000_000)
        #expect(TimeText.parseTimestamp(Array("2023-11-14".utf8), unit: .millis) == nil)
        #expect(Decimal.text(-12345, scale: 2) == "-123.45")
        #expect(Decimal.text(5, scale: 3) == "0.005")
        #expect(Decimal.text(bigEndian: [0xFF, 0xFE], scale: 1) == "-0.2")
    }
}
