import Testing

@testable import EddyLog

@Suite struct IndexTests {
    @Test func offsetIndexFindsNearestEntryAtOrBelow() {
        var index = OffsetIndex()
        index.append(relativeOffset: 10, position: 4_100)
        index.append(relativeOffset: 25, position: 8_300)
        index.append(relativeOffset: 40, position: 12_500)
        index.append(relativeOffset: 40, position: 13_000)  // not increasing: ignored
        #expect(index.entries.count == 3)
        #expect(index.position(atOrBelow: 0) == 0)
        #expect(index.position(atOrBelow: 9) == 0)
        #expect(index.position(atOrBelow: 10) == 4_100)
        #expect(index.position(atOrBelow: 24) == 4_100)
        #expect(index.position(atOrBelow: 25) == 8_300)
        #expect(index.position(atOrBelow: 1_000) == 12_500)
        let decoded = OffsetIndex(decoding: index.encoded(), segmentSize: 20_000)
        #expect(decoded == index)
        #expect(OffsetIndex(decoding: index.encoded(), segmentSize: 10_000) == nil)  // points past the file
        #expect(OffsetIndex(decoding: Array(index.encoded().dropLast()), segmentSize: 20_000) == nil)
    }

    @Test func timeIndexGivesScanStart() {
        var index = TimeIndex()
        index.append(timestamp: 100, relativeOffset: 10)  // offsets < 10 have timestamps <= 100
        index.append(timestamp: 250, relativeOffset: 30)
        index.append(timestamp: 250, relativeOffset: 35)
        index.append(timestamp: 400, relativeOffset: 50)
        #expect(index.scanStart(for: 50) == 0)
        #expect(index.scanStart(for: 100) == 0)
        #expect(index.scanStart(for: 101) == 10)
        #expect(index.scanStart(for: 250) == 10)
        #expect(index.scanStart(for: 251) == 35)
        #expect(index.scanStart(for: 10_000) == 50)
        #expect(TimeIndex(decoding: index.encoded()) == index)
        #expect(TimeIndex(decoding: [1, 2, 3]) == nil)
    }

    @Test func retentionPlanFollowsKafkaRules() {
        typealias S = RetentionPlan.Segment
        let segments = [
            S(bytes: 100, maxTimestamp: 1_000, isEmpty: false),
            S(bytes: 100, maxTimestamp: 2_000, isEmpty: false),
            S(bytes: 100, maxTimestamp: 3_000, isEmpty: false),
            S(bytes: 50, maxTimestamp: 4_000, isEmpty: false),
        ]
        #expect(RetentionPlan.plan(segments: segments, config: TopicConfig(), now: 10_000).deleteCount == 0)
        let byAge = TopicConfig(retentionMillis: 7_500)
        #expect(RetentionPlan.plan(segments: segments, config: byAge, now: 10_000).deleteCount == 2)
        let allExpired = RetentionPlan.plan(segments: segments, config: byAge, now: 100_000)
        #expect(allExpired == RetentionPlan(rollActive: true, deleteCount: 4))
        // Keeps at least retentionBytes: 350 total, limit 150 → drop 100 + 100, keep 150.
        #expect(
            RetentionPlan.plan(segments: segments, config: TopicConfig(retentionBytes: 150), now: 0)
                .deleteCount == 2)
        #expect(
            RetentionPlan.plan(segments: segments, config: TopicConfig(retentionBytes: 151), now: 0)
                .deleteCount == 1)
        // Never the active segment by size.
        #expect(
            RetentionPlan.plan(segments: segments, config: TopicConfig(retentionBytes: 0), now: 0).deleteCount
                == 3)
    }

    @Test func topicNamesFollowKafka() throws {
        for good in ["motion", "ecommerce_sales", "a.b-c_D9", String(repeating: "x", count: 249), "..."] {
            try TopicName.validate(good)
        }
        for bad in ["", ".", "..", "a b", "vendas/2024", "ação", String(repeating: "x", count: 250), "a\0b"] {
            #expect(throws: LogError.self) { try TopicName.validate(bad) }
        }
    }
}
