import Testing

@testable import EddyFormats

struct ThriftTests {
    static let sample = ThriftStruct([
        ThriftField(1, .i32(-7)),
        ThriftField(2, .bool(true)),
        ThriftField(3, .bool(false)),
        ThriftField(4, .binary(Array("héllo".utf8))),
        ThriftField(5, .i64(Int64.min)),
        ThriftField(6, .list(.i32, (0..<20).map { .i32(Int32($0 * 1000)) })),
        ThriftField(7, .double(-1.25)),
        ThriftField(30, .structure(ThriftStruct([ThriftField(1, .i16(300)), ThriftField(2, .byte(-3))]))),
        ThriftField(31, .list(.bool, [.bool(true), .bool(false)])),
        ThriftField(
            40,
            .list(
                .structure, [.structure(ThriftStruct()), .structure(ThriftStruct([ThriftField(1, .i64(9))]))])
        ),
    ])

    @Test func compactRoundTrip() throws {
        var writer = ThriftCompactWriter()
        writer.write(Self.sample)
        var reader = ThriftCompactReader(writer.bytes)
        #expect(try reader.readStruct() == Self.sample)
        #expect(reader.position == writer.bytes.count)
    }

    @Test func knownEncoding() throws {
        // field 1 i32 -7: header 0x15, zigzag(-7) = 13; field 2 bool true: header 0x11; stop.
        var writer = ThriftCompactWriter()
        writer.write(ThriftStruct([ThriftField(1, .i32(-7)), ThriftField(2, .bool(true))]))
        #expect(writer.bytes == [0x15, 13, 0x11, 0])
    }

    @Test func everyTruncationIsAnError() throws {
        var writer = ThriftCompactWriter()
        writer.write(Self.sample)
        for length in 0..<writer.bytes.count {
            var reader = ThriftCompactReader(Array(writer.bytes[0..<length]))
            #expect(throws: ThriftError.self) { try reader.readStruct() }
        }
    }

    @Test func deepNestingIsAnError() throws {
        var bytes: [UInt8] = []
        for _ in 0..<200 { bytes.append(0x1C) }  // field 1, struct, over and over
        var reader = ThriftCompactReader(bytes + Array(repeating: 0, count: 200))
        #expect(throws: ThriftError.self) { try reader.readStruct() }
    }
}
