import ArgumentParser
import EddyLog
import EddyML
import EddyStream
import Foundation

/// `eddy train als`: matrix factorisation by alternating least squares (Spark MLlib's semantics for
/// explicit ratings, Hu–Koren–Volinsky for implicit feedback), evaluated and saved as a model directory.
struct TrainALSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "als",
        abstract: "Train ALS on JSON-lines ratings; report test metrics; save the model.",
        discussion: """
            Ratings are JSON lines {"user_id", "item_id", "rating"} (ids are integers or strings; other \
            fields are ignored), from a file or from a topic in --data-dir. Progress goes to stderr, one \
            line per iteration. With --test (or --test-fraction) it prints RMSE and MAE for explicit \
            ratings, or precision@k, MAP@k and NDCG@k with --implicit.
              eddy train als --ratings ratings.jsonl --test-fraction 0.2 --output model
              eddy train als --ratings ratings --implicit --alpha 40 --rank 64 --iterations 15 --min-rating 4
            """)

    @Option(
        help: ArgumentHelp("Ratings: a JSON-lines file, or a topic in --data-dir.", valueName: "file|topic"))
    var ratings: String

    @Option(help: ArgumentHelp("Held-out ratings (JSON lines) to evaluate on.", valueName: "file"))
    var test: String?

    @Option(help: "Hold out this fraction of --ratings (seeded by --seed) as the test set instead of --test.")
    var testFraction: Double?

    @Option(help: "Number of latent factors.")
    var rank: Int = 10

    @Option(
        help:
            "Regularisation λ, scaled by each user's and item's rating count for explicit ratings (default: 0.1; 0.01 with --implicit)."
    )
    var reg: Double?

    @Option(help: "Alternating iterations (default: 10; 15 with --implicit).")
    var iterations: Int?

    @Flag(help: "Implicit feedback (ratings are interaction strengths; confidence 1 + alpha·r).")
    var implicit = false

    @Option(help: "Confidence scale for --implicit (default: 40).")
    var alpha: Double?

    @Flag(help: "Constrain factors to be non-negative (explicit only).")
    var nonnegative = false

    @Option(help: "Ignore ratings below this value (training and test), e.g. 4 to keep only likes.")
    var minRating: Double?

    @Option(help: "Random seed (initial factors, --test-fraction split).")
    var seed: UInt64 = 1

    @Option(help: "Test ratings of users or items unknown to the model: drop (leave out) or nan.")
    var coldStart: String = "drop"

    @Option(help: "Cut-off of the ranking metrics (--implicit).")
    var k: Int = 10

    @Option(help: "Threads (the model does not depend on it).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        help: ArgumentHelp(
            "Model directory to write (model.als inside; version grows by one).", valueName: "dir"))
    var output: String?

    @Option(help: "Output format: text or json (one object).")
    var format: String = "text"

    @OptionGroup var dataDir: DataDirOptions

    func validate() throws {
        guard rank >= 1, rank <= 1024 else { throw ValidationError("--rank must be between 1 and 1024") }
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
        if let reg, !(reg >= 0 && reg.isFinite) { throw ValidationError("--reg must be 0 or more") }
        if let alpha {
            guard implicit else { throw ValidationError("--alpha needs --implicit") }
            guard alpha > 0, alpha.isFinite else { throw ValidationError("--alpha must be positive") }
        }
        if implicit && nonnegative { throw ValidationError("--nonnegative applies to explicit ratings only") }
        if let testFraction {
            guard testFraction > 0, testFraction < 1 else {
                throw ValidationError("--test-fraction must be between 0 and 1 (exclusive)")
            }
            guard test == nil else { throw ValidationError("use either --test or --test-fraction, not both") }
        }
        guard ColdStartStrategy(rawValue: coldStart) != nil else {
            throw ValidationError("--cold-start must be drop or nan")
        }
        guard k >= 1 else { throw ValidationError("-k must be at least 1") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard format == "text" || format == "json" else {
            throw ValidationError("--format must be text or json")
        }
    }

    func run() throws {
        let started = Date()
        var all = try loadRatings(ratings)
        var testSet = try test.map { path -> Ratings in
            guard FileManager.default.fileExists(atPath: path) else {
                throw CLIError.invalidArgument("--test file '\(path)' does not exist")
            }
            return try loadRatings(path)
        }
        if let minRating {
            all = all.filter { Double($0) >= minRating }
            testSet = testSet?.filter { Double($0) >= minRating }
            guard !all.isEmpty else {
                throw CLIError.invalidArgument("no ratings of \(minRating) or more in \(ratings)")
            }
        }
        var training = all
        if let testFraction { (training, testSet) = all.split(testFraction: testFraction, seed: seed) }

        let progress: (TrainingProgress) -> Void = { step in
            var line = "iteration \(step.iteration)/\(step.iterations): \(Self.fixed(step.seconds, 3)) s"
            if let rmse = step.trainingRMSE { line += ", training RMSE \(Self.fixed(rmse, 4))" }
            printError(line)
        }
        let clock = ContinuousClock()
        let trainingStart = clock.now
        var model: ALSModel
        do {
            if implicit {
                model = try ImplicitALS(
                    rank: rank, maxIterations: iterations ?? 15, regParam: reg ?? 0.01, alpha: alpha ?? 40,
                    seed: seed, workers: workers
                ).train(training, progress: progress)
            } else {
                model = try ALS(
                    rank: rank, maxIterations: iterations ?? 10, regParam: reg ?? 0.1,
                    nonnegative: nonnegative,
                    seed: seed, workers: workers
                ).train(training, progress: progress)
            }
        } catch {
            throw CLIError.invalidArgument(error.description)
        }
        let trainSeconds = seconds(trainingStart.duration(to: clock.now))

        var report: [(String, String)] = [
            ("kind", "\"\(model.metadata.kind.rawValue)\""), ("users", "\(model.users.count)"),
            ("items", "\(model.items.count)"), ("ratings", "\(model.metadata.ratingCount)"),
            ("rank", "\(rank)"),
            ("iterations", "\(model.metadata.iterations)"), ("reg", "\(model.metadata.regParam)"),
            ("train_seconds", Self.fixed(trainSeconds, 3)),
        ]
        if implicit { report.append(("alpha", "\(model.metadata.alpha)")) }
        var text = [
            "trained \(model.metadata.kind.rawValue) ALS: \(model.users.count) users, \(model.items.count) items, "
                + "\(model.metadata.ratingCount) ratings, rank \(rank), \(model.metadata.iterations) iterations "
                + "in \(Self.fixed(trainSeconds, 2)) s"
        ]
        if let testSet {
            if implicit {
                let metrics = Evaluation.ranking(model, test: testSet, k: k, workers: workers)
                report += [
                    ("precision_at_\(k)", Self.number(metrics.precision)),
                    ("map_at_\(k)", Self.number(metrics.meanAveragePrecision)),
                    ("ndcg_at_\(k)", Self.number(metrics.ndcg)), ("test_users", "\(metrics.users)"),
                ]
                text.append(
                    "test: precision@\(k) \(Self.fixed(metrics.precision, 4)), MAP@\(k) "
                        + "\(Self.fixed(metrics.meanAveragePrecision, 4)), NDCG@\(k) \(Self.fixed(metrics.ndcg, 4)) "
                        + "(\(metrics.users) users)")
            } else {
                let metrics = Evaluation.regression(
                    model, test: testSet, coldStart: ColdStartStrategy(rawValue: coldStart)!)
                report += [
                    ("rmse", Self.number(metrics.rmse)), ("mae", Self.number(metrics.mae)),
                    ("test_ratings", "\(metrics.count)"), ("dropped", "\(metrics.dropped)"),
                ]
                text.append(
                    "test: RMSE \(Self.fixed(metrics.rmse, 4)), MAE \(Self.fixed(metrics.mae, 4)) "
                        + "(\(metrics.count) ratings, \(metrics.dropped) dropped: user or item not in training)"
                )
            }
        }
        if let output {
            model.metadata.version = (ModelFile.existingVersion(at: output) ?? 0) + 1
            model.metadata.trainedAtMillis = Int64(started.timeIntervalSince1970 * 1000)
            let path: String
            do {
                path = try ModelFile.write(model, to: output)
            } catch {
                throw CLIError.invalidArgument(error.description)
            }
            report += [("model", JSONWriter.quoted(path)), ("model_version", "\(model.metadata.version)")]
            text.append("model: \(path) (version \(model.metadata.version))")
        } else {
            text.append("model not saved (add --output DIR to keep it)")
        }
        if format == "json" {
            print("{" + report.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
        } else {
            for line in text { print(line) }
        }
    }

    /// Ratings from a file when `source` is one, else from the topic of that name in --data-dir.
    private func loadRatings(_ source: String) throws -> Ratings {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else {
                throw CLIError.invalidArgument("'\(source)' is a directory, not a JSON-lines file of ratings")
            }
            do {
                return try Ratings(contentsOfJSONLines: source)
            } catch {
                throw CLIError.invalidArgument("\(source): \(error.description)")
            }
        }
        let looksLikePath = source.contains("/") || source.hasSuffix(".jsonl") || source.hasSuffix(".json")
        if looksLikePath || !FileManager.default.fileExists(atPath: dataDir.path) {
            throw CLIError.invalidArgument(
                "'\(source)' is neither a file nor a topic in data directory '\(dataDir.path)'")
        }
        let log = try dataDir.openLog(flush: .default)
        guard let description = try? log.describeTopic(source) else {
            throw CLIError.invalidArgument(
                "'\(source)' is neither a file nor a topic in data directory '\(dataDir.path)'")
        }
        var ratings = Ratings()
        for partition in 0..<description.config.partitions {
            let tp = TopicPartition(source, partition)
            let bounds = try log.offsets(of: tp)
            var next = bounds.start
            while next < bounds.end {
                let fetched = try log.read(tp, from: next, maxBytes: 1 << 20)
                if fetched.isEmpty { break }
                var batch: [(offset: Int64, value: [UInt8])] = []
                fetched.forEach { record in batch.append((record.offset, Array(record.value))) }
                for entry in batch {
                    if case .failure(let error) = Result(catching: { () throws(RatingsError) in
                        try ratings.appendJSON(entry.value, line: Int(entry.offset) + 1)
                    }) {
                        throw CLIError.invalidArgument(
                            "topic '\(source)' partition \(partition): \(error.description) (the line is offset + 1)"
                        )
                    }
                    next = entry.offset + 1
                }
                next = max(next, fetched.nextOffset)
            }
        }
        guard !ratings.isEmpty else { throw CLIError.invalidArgument("topic '\(source)' has no ratings") }
        return ratings
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "nan"
    }

    /// A JSON number (null for NaN, which JSON cannot carry).
    static func number(_ value: Double) -> String {
        value.isFinite ? String(format: "%.6f", value) : "null"
    }
}
