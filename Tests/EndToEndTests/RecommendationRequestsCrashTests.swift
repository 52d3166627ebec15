import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Seed 001's request topic → response topic job, inside `eddy run recommendations`, killed with SIGKILL at
/// random points while requests keep arriving: after a final run every request is answered exactly once —
/// a response on `recommendations-out`, or the request on `recommendation-requests.dlq` when malformed.
@Suite struct RecommendationRequestsCrashTests {
    /// Request `i`: every 37th is malformed, every 11th names a user the model has not seen, others a user.
    static func request(_ i: Int) -> String {
        if i % 37 == 5 { return "not a request \(i)" }
        if i % 11 == 3 { return #"{"user_id": "stranger-\#(i)"}"# }
        return i % 2 == 0 ? String(1 + i % 400) : #"{"user_id": \#(1 + i % 400), "n": \#(1 + i % 7)}"#
    }

    struct Response: Decodable {
        var request_offset: Int
        var error: String?
        var items: [Item]?
        struct Item: Decodable { var item_id: Int }
    }

    @Test func killedAtRandomPointsAnswersEveryRequestExactlyOnce() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        var rng = SplitMix64(state: 0x5EED_0001)
        #expect(try eddy.run(["simulate", "ratings", "4000", "--seed", "3", "--to", "ratings"]).status == 0)
        #expect(
            try eddy.run(["topics", "create", "recommendation-requests", "--partitions", "1"]).status == 0)
        var sent = 0
        func send(_ count: Int) throws {
            let lines = (sent..<sent + count).map(Self.request)
            #expect(try eddy.run(["produce", "recommendation-requests"], lines: lines).status == 0)
            sent += count
        }
        try send(3000)
        let continuous = ["run", "recommendations", "--format", "json", "--retrain-every", "1000"]
        for k in 0..<6 {
            let live = try RunningEddy(eddy, continuous)
            usleep(300_000 + UInt32(rng.next() % 1_200_001))
            if k % 2 == 1 { try send(1500) }  // more requests while it runs
            usleep(UInt32(rng.next() % 300_001))
            live.kill(SIGKILL)
            #expect(
                live.process.terminationReason == .uncaughtSignal, "run \(k) exited early: \(live.stderr)")
        }
        let final = try eddy.run(["run", "recommendations", "--trigger", "once", "--retrain-every", "1000"])
        #expect(final.status == 0, "\(final.stderr)")

        let out = try eddy.run(["consume", "recommendations-out", "--from-beginning", "--timeout-ms", "2000"])
        let responses = out.stdoutLines.map { try? JSONDecoder().decode(Response.self, from: Data($0.utf8)) }
        #expect(!responses.contains { $0 == nil }, "a response is not JSON")
        let answered = responses.compactMap { $0?.request_offset }
        let dlq = try eddy.run([
            "consume", "recommendation-requests.dlq", "--from-beginning", "--timeout-ms", "2000",
        ])

        let malformed = (0..<sent).filter { Self.request($0).hasPrefix("not") }
        let wellFormed = (0..<sent).filter { !Self.request($0).hasPrefix("not") }
        #expect(
            answered.count == wellFormed.count, "responses: \(answered.count), requests: \(wellFormed.count)")
        #expect(answered.sorted() == wellFormed, "some request is answered twice or not at all")
        #expect(
            dlq.stdoutLines == malformed.map(Self.request), "dead letters differ from the malformed requests")
        let strangers = responses.compactMap { $0 }.filter {
            Self.request($0.request_offset).contains("stranger")
        }
        #expect(strangers.allSatisfy { $0.error == "unknown_user" })
        #expect(
            responses.compactMap { $0 }.filter { $0.error == nil }.allSatisfy { !($0.items ?? []).isEmpty })
    }
}
