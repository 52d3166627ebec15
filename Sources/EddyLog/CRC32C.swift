public import CEddySupport

/// CRC-32C (Castagnoli), the checksum of Kafka's v2 record batches.
///
/// Computed in C with the SSE4.2 `crc32` instruction when the CPU has it, with a table otherwise.
///
/// ```swift
/// let crc = CRC32C.checksum(Array("123456789".utf8))  // 0xE3069283
/// ```
public enum CRC32C {
    /// The CRC-32C of `bytes`, continuing from `crc` (0 to start).
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return eddy_crc32c(crc, base, bytes.count)
    }

    /// The CRC-32C of `bytes`, continuing from `crc` (0 to start).
    @inlinable
    public static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }
}
