import Foundation
import Testing

/// `eddy train als` and `eddy recommend` driven through the built binary.
@Suite struct TrainRecommendTests {
    /// Users 1…40 × items 1…30 rated 3 + 1.5·sin(u)·cos(i) (rank 2), three pairs in four observed;
    /// user 1 rates only items 1…5.
    static func ratingLines() -> [String] {
        var lines: [String] = []
        for u in 1...40 {
            for i in 1...30 where u != 1 ? (u * 7 + i * 3) % 4 != 0 : i <= 5 {
                let rating = (300 + 150 * sin(Double(u)) * cos(Double(i))).rounded() / 100
                lines.append(#"{"user_id": \#(u), "item_id": \#(i), "rating": \#(rating), "timestamp": 1}"#)
            }
        }
        return lines
    }

    static func write(_ lines: [String], to path: String) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func trainEvaluateSaveAndRecommend() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let lines = Self.ratingLines()
        let train = eddy.workDirectory + "/train.jsonl"
        let test = eddy.workDirectory + "/test.jsonl"
        try Self.write(lines.enumerated().filter { $0.offset % 5 != 0 }.map(\.element), to: train)
        try Self.write(lines.enumerated().filter { $0.offset % 5 == 0 }.map(\.element), to: test)
        let model = eddy.workDirectory + "/model"

        let trained = try eddy.run([
            "train", "als", "--ratings", train, "--test", test, "--rank", "2", "--iterations", "10",
            "--output", model,
            "--format", "json",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderrLines.filter { $0.hasPrefix("iteration ") }.count == 10)
        let report = try #require(
            JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as? [String: Any],
            "\(trained.stdout)")
        #expect(trained.stdoutLines.count == 1)
        let rmse = try #require(report["rmse"] as? Double)
        #expect(rmse > 0 && rmse < 0.6, "ratings spread ±1.5 around 3; the mean alone scores about 0.75")
        #expect(report["model_version"] as? Int == 1)
        #expect(FileManager.default.fileExists(atPath: model + "/model.als"))

        let one = try eddy.run(["recommend", "--model", model, "--user", "1", "--n", "4"])
        #expect(one.status == 0, "\(one.stderr)")
        let answer = try #require(
            JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any], "\(one.stdout)")
        #expect(answer["user_id"] as? Int == 1)
        let items = try #require(answer["items"] as? [[String: Any]])
        #expect(items.count == 4)
        let ids = items.compactMap { $0["item_id"] as? Int }
        #expect(ids.allSatisfy { $0 > 5 }, "user 1 rated items 1…5 in training: \(ids)")
        let scores = items.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))

        let all = try eddy.run(["recommend", "--model", model, "--all-users", "--n", "2"])
        #expect(all.status == 0)
        #expect(all.stdoutLines.count == 40)

        // A second training into the same directory is the next version.
        let again = try eddy.run([
            "train", "als", "--ratings", train, "--rank", "2", "--output", model, "--format", "json",
        ])
        #expect(again.stdout.contains("\"model_version\":2"), "\(again.stdout)")
    }

    @Test func implicitReportsRankingMetrics() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let ratings = eddy.workDirectory + "/ratings.jsonl"
        try Self.write(Self.ratingLines(), to: ratings)
        let result = try eddy.run([
            "train", "als", "--ratings", ratings, "--test-fraction", "0.2", "--implicit", "--alpha", "10",
            "--min-rating", "4", "--rank", "4", "--iterations", "3",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("precision@10"), "\(result.stdout)")
        #expect(result.stdout.contains("model not saved"))
    }

    @Test func trainsFromATopic() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        try eddy.run(["topics", "create", "ratings", "--partitions", "2"])
        let produced = try eddy.run(["produce", "ratings"], lines: Self.ratingLines())
        #expect(produced.status == 0, "\(produced.stderr)")
        let result = try eddy.run([
            "train", "als", "--ratings", "ratings", "--rank", "2", "--iterations", "2",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\(Self.ratingLines().count) ratings"), "\(result.stdout)")
    }

    @Test func errorsAreOneLine() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let bad = eddy.workDirectory + "/bad.jsonl"
        try Self.write(
            [#"{"user_id": 1, "item_id": 2, "rating": 3}"#, #"{"user_id": 1, "item_id": 2}"#], to: bad)
        expectOneLineError(
            try eddy.run(["train", "als", "--ratings", bad]),
            containing: ["line 2", "missing field \"rating\""])
        expectOneLineError(
            try eddy.run(["train", "als", "--ratings", eddy.workDirectory + "/none.jsonl"]),
            containing: ["neither a file nor a topic"])
        expectOneLineError(
            try eddy.run(["train", "als", "--ratings", bad, "--rank", "0"]), containing: ["--rank"])
        expectOneLineError(
            try eddy.run(["train", "als", "--ratings", bad, "--alpha", "3"]), containing: ["--implicit"])

        let notModel = eddy.workDirectory + "/not-a-model"
        try "hello".write(toFile: notModel, atomically: true, encoding: .utf8)
        expectOneLineError(
            try eddy.run(["recommend", "--model", notModel, "--user", "1"]), containing: ["not an Eddy model"]
        )
        expectOneLineError(
            try eddy.run(["recommend", "--model", eddy.workDirectory + "/missing", "--user", "1"]),
            containing: ["no model", "eddy train als"])
        expectOneLineError(
            try eddy.run(["recommend", "--model", notModel]), containing: ["--user", "--all-users"])

        let good = eddy.workDirectory + "/good.jsonl"
        try Self.write(Self.ratingLines(), to: good)
        let model = eddy.workDirectory + "/model"
        #expect(
            try eddy.run(["train", "als", "--ratings", good, "--rank", "2", "--output", model]).status == 0)
        expectOneLineError(
            try eddy.run(["recommend", "--model", model, "--user", "999"]),
            containing: ["user 999 is not in the model"])
        // A damaged model is refused, not half-read.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: model + "/model.als"))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: model + "/model.als"))
        expectOneLineError(
            try eddy.run(["recommend", "--model", model, "--user", "2"]), containing: ["corrupt"])
    }
}
