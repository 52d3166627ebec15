import CEddySupport
import Testing

@testable import EddyLog

@Suite struct CRC32CTests {
    @Test func knownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        // iSCSI (RFC 3720, B.4) test vectors.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0..<32)) == 0x46DD_794E)
        #expect(CRC32C.checksum(Array((0..<32).reversed())) == 0x113F_DB5C)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test func continuingEqualsWhole() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let first = CRC32C.checksum(Array(data[..<split]))
            #expect(CRC32C.checksum(Array(data[split...]), continuing: first) == CRC32C.checksum(data))
        }
    }
}

@Suite struct CRC32CImplementationTests {
    /// The hardware path (SSE4.2 when present) and the table path agree on every length and alignment.
    @Test func hardwareAndTableAgree() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let data = (0..<40_000).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        data.withUnsafeBytes { raw in
            for start in 0..<9 {
                // Past 6 KiB the hardware path runs three interleaved lanes of 2 KiB.
                for length in [
                    0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 1_000, 4_000, 6_143, 6_144, 6_145,
                    6_151,
                    12_288, 12_295, 20_000, 39_990,
                ] {
                    let p = raw.baseAddress! + start
                    #expect(eddy_crc32c(0, p, length) == eddy_crc32c_portable(0, p, length))
                    #expect(
                        eddy_crc32c(0x1234_5678, p, length) == eddy_crc32c_portable(0x1234_5678, p, length))
                }
            }
        }
        #expect(eddy_crc32c_portable(0, "123456789", 9) == 0xE306_9283)
    }
}
