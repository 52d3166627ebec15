@testable import EddyStream

/// Decodes `json` with a one-field schema and returns that field's value (or the failure).
func decodeField(_ type: ColumnType, _ json: String, name: String = "f") -> Result<Value, DecodeFailure> {
    JSONRowDecoder(schema: [Column(name, type)]).decode(json).map { $0[0] }
}

/// The value of field `f` of type `type` in `{"f": <literal>}`; failures become a sentinel the tests reject.
func fieldValue(_ type: ColumnType, _ literal: String) -> Value {
    switch decodeField(type, #"{"f": \#(literal)}"#) {
    case .success(let value): value
    case .failure(let failure): .string("FAILED: \(failure)")
    }
}

func failure(_ json: String, schema: Schema = [Column("a", .int)]) -> DecodeFailure? {
    if case .failure(let failure) = JSONRowDecoder(schema: schema).decode(json) { return failure }
    return nil
}

func failure(bytes: [UInt8], schema: Schema = [Column("a", .int)]) -> DecodeFailure? {
    if case .failure(let failure) = JSONRowDecoder(schema: schema).decode(bytes) { return failure }
    return nil
}

func micros(
    _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0,
    micro: Int = 0
) -> Int64 {
    Int64(JSONTimestamp.daysSinceEpoch(year: year, month: month, day: day)) * 86_400_000_000
        + Int64(hour * 3600 + minute * 60 + second) * 1_000_000 + Int64(micro)
}

/// A tiny deterministic generator (SplitMix64) so fuzz-style tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Runs `body` over a copy of `bytes` in an allocation of exactly their size, so that an address sanitizer
/// run catches any read past the end (an array's spare capacity would hide it).
func withExactBuffer<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) -> R) -> R {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
    defer { buffer.deallocate() }
    bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
    return body(UnsafeRawBufferPointer(rebasing: buffer[..<bytes.count]))
}
