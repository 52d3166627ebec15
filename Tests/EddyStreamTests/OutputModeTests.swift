import EddyLog
import Testing

@testable import EddyStream

@Suite struct OutputModeTests {
    let source = Pipeline("p").source(topic: "motion", schema: Fixtures.motionSchema)

    private func refusal(_ pipeline: Pipeline) -> String? {
        do {
            _ = try pipeline.build()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func appendOnAggregationWithoutWatermarkIsRefused() {
        let message = refusal(source.groupBy("location").count().output(mode: .append, to: CollectingSink()))
        #expect(message?.contains("cannot use append mode") == true)
        #expect(message?.contains("watermark") == true)
        let windowed = source.groupBy(.tumbling(on: "timestamp", size: .seconds(60)), "location").count()
        #expect(refusal(windowed.output(mode: .append, to: CollectingSink())) != nil)
        let watermarked = source.withWatermark("timestamp", delay: .seconds(10))
            .groupBy(.tumbling(on: "timestamp", size: .seconds(60)), "location").count()
        #expect(refusal(watermarked.output(mode: .append, to: CollectingSink())) == nil)
    }

    @Test func completeWithoutAggregationIsRefused() {
        let message = refusal(
            source.filter(col("duration") > 1.0).output(mode: .complete, to: CollectingSink()))
        #expect(message?.contains("complete mode") == true)
        #expect(message?.contains("needs an aggregation") == true)
    }

    @Test func sessionWindowsInUpdateModeAreRefused() {
        let p = source.withWatermark("timestamp", delay: .seconds(5))
            .groupBy(.session(on: "timestamp", gap: .seconds(30)), "customer_id").count()
        #expect(refusal(p.output(mode: .update, to: CollectingSink()))?.contains("session") == true)
        #expect(refusal(p.output(mode: .append, to: CollectingSink())) == nil)
        #expect(refusal(p.output(mode: .complete, to: CollectingSink())) == nil)
    }

    @Test func sortingOutsideCompleteAggregationIsRefused() {
        let p = source.groupBy("location").count().orderBy(.descending("count"))
        #expect(refusal(p.output(mode: .update, to: CollectingSink()))?.contains("complete mode") == true)
        #expect(refusal(p.output(mode: .complete, to: CollectingSink())) == nil)
    }

    @Test func unknownColumnsAndBadTypesAreRefusedWithTheAvailableColumns() {
        let message = refusal(
            source.filter(col("durration").isNotNull).output(mode: .append, to: CollectingSink()))
        #expect(message?.contains("no column 'durration'") == true)
        #expect(message?.contains("duration") == true)
        #expect(
            refusal(
                source.groupBy("location").aggregate(.sum("location", as: "s")).output(
                    mode: .update, to: CollectingSink())) != nil)
        #expect(
            refusal(
                source.groupBy("location").count().groupBy("count").count().output(
                    mode: .complete, to: CollectingSink())) != nil)
        #expect(refusal(Pipeline("empty").source(topic: "t", schema: Fixtures.motionSchema)) != nil)
    }
}
