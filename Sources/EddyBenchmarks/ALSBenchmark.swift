import Dispatch
import EddyML
import Foundation

/// `eddy bench als`: EddyML's ALS against the reference implementations on the same data in the same
/// run — Spark MLlib (pyspark, local[2]) for explicit ratings, the `implicit` library (C++) for implicit
/// feedback — on MovieLens 100k (quality and time) and a synthetic planted low-rank set (time, memory),
/// plus serving latencies: top-N for one user and fold-in of a new user.
///
/// The references run `scripts/ml/als-reference.py` with the `.build/venv` Python on train/test files
/// this benchmark writes, so both sides see identical splits.
///
/// ```swift
/// let report = try ALSBenchmark.run(.init(movieLens: ".build/datasets/ml-100k/ratings.jsonl"))
/// print(report)
/// ```
public enum ALSBenchmark {
    public struct Options: Sendable {
        public var movieLens: String?
        public var syntheticRatings: Int = 2_000_000
        public var syntheticUsers: Int = 50_000
        public var syntheticItems: Int = 10_000
        public var workers: Int = 2
        public var python: String? = nil
        public var referenceScript: String = "scripts/ml/als-reference.py"
        public var references: Set<String> = ["spark", "implicit"]
        public var workDirectory: String? = nil

        public init(movieLens: String?) { self.movieLens = movieLens }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(_ options: Options, log: (String) -> Void = { _ in }) throws -> String {
        let work = (options.workDirectory ?? NSTemporaryDirectory()) + "/eddy-bench-als-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var lines: [String] = []
        func emit(_ line: String) {
            lines.append(line)
            log(line)
        }
        let reference = Reference(options: options)

        if let path = options.movieLens, FileManager.default.fileExists(atPath: path) {
            let ratings = try Ratings(contentsOfJSONLines: path)
            emit(
                "MovieLens 100k (\(ratings.count) ratings), seeded 80/20 split (seed 1), \(options.workers) workers"
            )
            let (train, test) = ratings.split(testFraction: 0.2, seed: 1)
            let trainPath = work + "/ml-train.jsonl"
            let testPath = work + "/ml-test.jsonl"
            try train.jsonLines().write(toFile: trainPath, atomically: false, encoding: .utf8)
            try test.jsonLines().write(toFile: testPath, atomically: false, encoding: .utf8)

            // Explicit, rank 10, regParam 0.1, 10 iterations.
            var model: ALSModel?
            let eddy = try timed {
                model = try ALS(rank: 10, maxIterations: 10, regParam: 0.1, seed: 1, workers: options.workers)
                    .train(train)
            }
            let metrics = Evaluation.regression(model!, test: test)
            emit("  explicit rank 10, reg 0.1, 10 iterations   train s    test RMSE   test MAE")
            emit(row("eddy", eddy, metrics.rmse, metrics.mae))
            if options.references.contains("spark") {
                if let result = reference.run(
                    "spark",
                    [
                        "--train", trainPath, "--test", testPath, "--rank", "10", "--reg", "0.1",
                        "--iterations", "10",
                    ],
                    log: log)
                {
                    emit(
                        row("spark mllib (local[2])", result["train_seconds"], result["rmse"], result["mae"]))
                }
            }
            if options.references.contains("numpy") {
                if let result = reference.run(
                    "numpy",
                    [
                        "--train", trainPath, "--test", testPath, "--rank", "10", "--reg", "0.1",
                        "--iterations", "10",
                    ],
                    log: log)
                {
                    emit(row("numpy ALS-WR", result["train_seconds"], result["rmse"], result["mae"]))
                }
            }

            // Serving from the explicit model.
            emit(latencies(model!, label: "ML-100k model"))

            // Implicit: ratings ≥ 4 as positives (value 1), 64 factors, 15 iterations, λ 0.01, α 40.
            let positives = binarized(ratings.filter { $0 >= 4 })
            let (implicitTrain, implicitTest) = positives.split(testFraction: 0.2, seed: 1)
            let implicitTrainPath = work + "/ml-implicit-train.jsonl"
            let implicitTestPath = work + "/ml-implicit-test.jsonl"
            try implicitTrain.jsonLines().write(toFile: implicitTrainPath, atomically: false, encoding: .utf8)
            try implicitTest.jsonLines().write(toFile: implicitTestPath, atomically: false, encoding: .utf8)
            var implicitModel: ALSModel?
            let eddyImplicit = try timed {
                implicitModel = try ImplicitALS(
                    rank: 64, maxIterations: 15, regParam: 0.01, alpha: 40, seed: 1, workers: options.workers
                ).train(implicitTrain)
            }
            let ranking = Evaluation.ranking(
                implicitModel!, test: implicitTest, k: 10, workers: options.workers)
            emit(
                "  implicit (ratings ≥ 4), 64 factors, 15 it.  train s    prec@10     MAP@10      NDCG@10")
            emit(row("eddy", eddyImplicit, ranking.precision, ranking.meanAveragePrecision, ranking.ndcg))
            if options.references.contains("implicit") {
                if let result = reference.run(
                    "implicit",
                    [
                        "--train", implicitTrainPath, "--test", implicitTestPath, "--rank", "64", "--reg",
                        "0.01",
                        "--iterations", "15", "--alpha", "40",
                    ], log: log)
                {
                    emit(
                        row(
                            "implicit 0.7 (C++)", result["train_seconds"], result["precision"], result["map"],
                            result["ndcg"]))
                }
            }
        } else {
            emit("MovieLens 100k: skipped (no file; fetch it with scripts/ml/fetch-movielens)")
        }

        if options.syntheticRatings > 0 {
            let simulator = RatingsSimulator(
                users: options.syntheticUsers, items: options.syntheticItems, rank: 10, noise: 0.1, seed: 7)
            let ratings = simulator.ratings(count: options.syntheticRatings)
            let rawBytes = ratings.count * (8 + 8 + 4)
            emit(
                "Synthetic: \(ratings.count) ratings, \(options.syntheticUsers) users × \(options.syntheticItems) items, planted rank 10 (raw \(rawBytes / 1_000_000) MB as Int64, Int64, Float32)"
            )
            let path = work + "/synthetic.jsonl"
            let needsFile = !options.references.isDisjoint(with: ["spark", "implicit", "numpy"])
            if needsFile { try ratings.jsonLines().write(toFile: path, atomically: false, encoding: .utf8) }
            emit("  rank 10, 10 iterations                      train s    peak RSS MB (training)")
            var model: ALSModel?
            resetPeakRSS()
            let explicitSeconds = try timed {
                model = try ALS(rank: 10, maxIterations: 10, regParam: 0.1, seed: 1, workers: options.workers)
                    .train(ratings)
            }
            emit(row("eddy explicit (Cholesky)", explicitSeconds, Double(peakRSSKiB()) / 1024))
            resetPeakRSS()
            let implicitSeconds = try timed {
                _ = try ImplicitALS(
                    rank: 10, maxIterations: 10, regParam: 0.01, alpha: 40, seed: 1, workers: options.workers
                )
                .train(ratings)
            }
            emit(row("eddy implicit (CG, 3 steps)", implicitSeconds, Double(peakRSSKiB()) / 1024))
            if options.references.contains("implicit"),
                let result = reference.run(
                    "implicit",
                    [
                        "--train", path, "--rank", "10", "--reg", "0.01", "--iterations", "10", "--alpha",
                        "40",
                    ],
                    log: log)
            {
                emit(row("implicit 0.7 (C++, CG)", result["train_seconds"]))
            }
            if options.references.contains("spark"),
                let result = reference.run(
                    "spark", ["--train", path, "--rank", "10", "--reg", "0.1", "--iterations", "10"], log: log
                )
            {
                emit(row("spark mllib explicit (local[2])", result["train_seconds"]))
            }
            emit(latencies(model!, label: "synthetic model"))
        }
        return lines.joined(separator: "\n")
    }

    /// Median and p99 of top-10 for one user and of folding in a 20-rating user, on a warm model.
    static func latencies(_ model: ALSModel, label: String) -> String {
        var random = SeededGenerator(seed: 3)
        var recommend: [Double] = []
        for _ in 0..<2000 {
            let u = Int(random.next() % UInt64(model.users.count))
            let start = DispatchTime.now().uptimeNanoseconds
            let top = model.recommend(userIndex: u, n: 10)
            recommend.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
            precondition(!top.isEmpty)
        }
        var foldIn: [Double] = []
        for _ in 0..<2000 {
            let ratings = (0..<20).map { _ in
                (
                    item: model.items.ids[Int(random.next() % UInt64(model.items.count))],
                    rating: Float(1 + random.next() % 5)
                )
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let user = model.foldIn(ratings)
            let top = model.recommend(user, n: 10)
            foldIn.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
            precondition(!top.isEmpty)
        }
        func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        return String(
            format:
                "  serving (%@, %d items): top-10 for a user median %.1f µs, p99 %.1f µs; fold-in of a 20-rating user + top-10 median %.1f µs, p99 %.1f µs",
            label, model.items.count, percentile(recommend, 0.5), percentile(recommend, 0.99),
            percentile(foldIn, 0.5),
            percentile(foldIn, 0.99))
    }

    static func binarized(_ ratings: Ratings) -> Ratings {
        var out = Ratings()
        for e in 0..<ratings.count {
            out.append(
                user: ratings.users.ids[Int(ratings.userIndices[e])],
                item: ratings.items.ids[Int(ratings.itemIndices[e])],
                rating: 1)
        }
        return out
    }

    static func timed(_ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func row(_ name: String, _ values: Double?...) -> String {
        let cells = values.map { value in value.map { String(format: "%-11.4f", $0) } ?? "n/a        " }
        return "    " + name.padding(toLength: 42, withPad: " ", startingAt: 0) + cells.joined(separator: " ")
    }

    /// Linux: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one.
    static func resetPeakRSS() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    static func peakRSSKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    /// Runs the reference script; nil (with the reason logged) when Python or the library is missing.
    struct Reference {
        let options: Options

        func run(_ library: String, _ arguments: [String], log: (String) -> Void) -> [String: Double]? {
            let python = options.python ?? ".build/venv/bin/python"
            guard FileManager.default.isExecutableFile(atPath: python) else {
                log("    \(library): skipped (no \(python); run scripts/test once or create the venv)")
                return nil
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments =
                [options.referenceScript, "--library", library, "--threads", "\(options.workers)"] + arguments
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            do { try process.run() } catch {
                log("    \(library): skipped (\(error))")
                return nil
            }
            let errorData = SendableBox()
            let drain = DispatchGroup()
            drain.enter()
            DispatchQueue.global().async {
                errorData.data = errors.fileHandleForReading.readDataToEndOfFile()
                drain.leave()
            }
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            drain.wait()
            guard process.terminationStatus == 0,
                let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            else {
                let message = String(decoding: errorData.data, as: UTF8.self).split(separator: "\n").suffix(3)
                    .joined(separator: " | ")
                log("    \(library): failed (status \(process.terminationStatus)): \(message)")
                return nil
            }
            return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
    }

    final class SendableBox: @unchecked Sendable {
        var data = Data()
    }
}
