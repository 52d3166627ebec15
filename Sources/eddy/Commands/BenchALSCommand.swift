import ArgumentParser
import EddyBenchmarks
import Foundation

/// `eddy bench als`: ALS training time and quality against Spark MLlib and the `implicit` library, and
/// serving latencies, all in one run.
struct BenchALSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "als",
        abstract: "Time and evaluate EddyML's ALS beside Spark MLlib and the implicit library.",
        discussion: """
            MovieLens 100k (fetch it with scripts/ml/fetch-movielens): explicit ALS (rank 10, regParam 0.1, \
            10 iterations) with test RMSE/MAE on a seeded 80/20 split, beside Spark MLlib on the same split; \
            implicit ALS (ratings ≥ 4 as positives, 64 factors, 15 iterations, α 40) with precision@10, \
            MAP@10, NDCG@10 beside the implicit library. Then a synthetic planted rank-10 set (2M ratings of \
            50k users × 10k items) for training time and peak RSS, and top-10 / fold-in latencies. The \
            references run scripts/ml/als-reference.py with .build/venv/bin/python (pip install pyspark \
            implicit numpy scipy threadpoolctl); missing ones are skipped with the reason.
            """)

    @Option(help: ArgumentHelp("MovieLens 100k ratings as JSON lines.", valueName: "file"))
    var movielens: String = ".build/datasets/ml-100k/ratings.jsonl"

    @Option(help: "Synthetic ratings (0: skip the synthetic set).")
    var syntheticRatings: Int = 2_000_000

    @Option(help: "Threads for Eddy and for the references.")
    var workers: Int = 2

    @Option(help: "References to run, comma-separated: spark, implicit, numpy (or none).")
    var references: String = "spark,implicit"

    @Option(help: ArgumentHelp("Python with the reference libraries.", valueName: "path"))
    var python: String = ".build/venv/bin/python"

    @Option(
        help: ArgumentHelp("Directory for the temporary files (default: the system's).", valueName: "path"))
    var workDir: String?

    func validate() throws {
        guard syntheticRatings >= 0 else { throw ValidationError("--synthetic-ratings must be 0 or more") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        let known: Set<String> = ["spark", "implicit", "numpy", "none"]
        for name in references.split(separator: ",") where !known.contains(String(name)) {
            throw ValidationError("--references: unknown '\(name)' (spark, implicit, numpy or none)")
        }
    }

    func run() throws {
        var options = ALSBenchmark.Options(movieLens: movielens)
        options.syntheticRatings = syntheticRatings
        options.workers = workers
        options.python = python
        options.references = Set(references.split(separator: ",").map(String.init)).subtracting(["none"])
        options.workDirectory = workDir
        do {
            _ = try ALSBenchmark.run(options) { line in print(line) }
        } catch {
            throw CLIError.invalidArgument("bench als: \(error)")
        }
    }
}
