import EddyLog
import Testing

@testable import EddyStream

@Suite struct CheckpointCodecTests {
    let checkpoint = Checkpoint(
        pipeline: "p", fingerprint: "f", topic: "t", offsets: [0: 5, 3: 99], recordsIn: 104, deadLetters: 2,
        writtenAtMillis: 1234,
        outputs: [
            OutputCheckpoint(
                table: "a", nextBatchId: 7, rowsOut: 40, lateRows: 3,
                aggregation: .init(
                    groups: [
                        .init(
                            key: [.string("Caixa"), .timestamp(-5), .null, .bool(true)],
                            accumulators: [
                                .count(3), .sum(.double(-0.1)), .sum(.empty),
                                .sum(.decimal(DecimalValue(units: 1999, scale: 2))),
                                .avg(sum: 2.5, count: 2), .min(.int(-7)), .max(.string("z")),
                                .distinct([.int(1), .string("x"), .array([.int(1), .null])]),
                            ])
                    ],
                    sessions: [
                        .init(
                            key: [.object(["k": .double(.nan)])],
                            sessions: [Session(start: 1, end: 2, accumulators: [.count(1)])])
                    ],
                    watermark: WatermarkState(maxEventTime: 10, current: nil))),
            OutputCheckpoint(table: "b", nextBatchId: 0, rowsOut: 0, lateRows: 0, aggregation: nil),
        ])

    @Test func roundTripsEveryValueAndAccumulatorKind() throws {
        let decoded = try Checkpoint(decoding: checkpoint.encoded())
        #expect(decoded.offsets == checkpoint.offsets)
        #expect(decoded.outputs[1] == checkpoint.outputs[1])
        let group = try #require(decoded.outputs[0].aggregation?.groups.first)
        #expect(group == checkpoint.outputs[0].aggregation?.groups.first)
        // NaN != NaN, so compare the session's key by its bits.
        guard case .object(let o)? = decoded.outputs[0].aggregation?.sessions.first?.key.first,
            case .double(let d)? = o["k"]
        else {
            Issue.record("session key lost")
            return
        }
        #expect(d.isNaN)
        #expect(decoded.outputs[0].aggregation?.watermark == WatermarkState(maxEventTime: 10, current: nil))
        #expect(decoded.recordsIn == 104 && decoded.deadLetters == 2 && decoded.writtenAtMillis == 1234)
    }

    @Test func truncatedOrForeignFilesAreRefused() {
        let bytes = checkpoint.encoded()
        #expect(throws: CheckpointReader.Malformed.self) {
            try Checkpoint(decoding: Array(bytes.dropLast(3)))
        }
        #expect(throws: CheckpointReader.Malformed.self) {
            try Checkpoint(decoding: Array("{\"json\": 1}".utf8))
        }
        var flipped = bytes
        flipped[12] ^= 0xFF
        #expect(throws: CheckpointReader.Malformed.self) { try Checkpoint(decoding: flipped) }
    }
}
