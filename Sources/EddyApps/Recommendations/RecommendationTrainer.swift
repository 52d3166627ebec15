public import EddyLog
public import EddyML
import EddyServer
public import EddyStream
import Foundation
public import ServiceLifecycle
import Synchronization

/// Seed 001's training loop, continuous: reads every rating on the topic (from the beginning, so a restart
/// rebuilds the same data), retrains ALS when enough new ratings have arrived or enough time has passed,
/// and swaps the served model atomically (``ModelSlot``), one version higher each time. Each model's figures
/// go to the live table `models`.
///
/// Ratings that are not `{"user_id", "item_id", "rating"}` JSON are counted and skipped.
public final class RecommendationTrainer: Service, Sendable {
    public struct Settings: Sendable {
        public var als = ALS(rank: 10, maxIterations: 10, regParam: 0.1, workers: 2)
        /// Retrain after this many new ratings…
        public var retrainEvery = 5_000
        /// …or this long after the last model, if anything new arrived.
        public var retrainInterval: Duration = .seconds(10)
        /// Train once on the ratings already in the topic, then stop (`eddy run --trigger once`).
        public var once = false
        /// Also write each model's row here (`eddy run` prints them).
        public var display: (any Sink)?
        /// Where each model's top-N of every user goes, as table `recommendations` (MongoDB's role in the
        /// seed): upserted by `user_id` with the model version, after every model.
        public var recommendations: (any Sink)?
        /// Items per user in that table.
        public var topN = 10

        public init() {}
    }

    let log: any Log
    let topic: String
    let settings: Settings
    /// The model the API answers from.
    public let models = ModelSlot()
    /// One row per trained model: version, ratings, users, items, seconds, trained_at.
    public let history = LiveTable("models", maxRows: 100)
    /// One row per iteration of the recent models' training: model, iteration, training RMSE (explicit
    /// feedback), seconds. The dashboard draws it as one curve per model.
    public let training = LiveTable("training", maxRows: 200)
    private let progress = Mutex(Progress())

    struct Progress {
        var state: PipelineSnapshot.State = .starting
        var positions: [Int: Offset] = [:]
        var ratings = 0
        var skipped: Int64 = 0
        var lastModel: (version: Int64, micros: Int64, seconds: Double)?
        var error: String?
    }

    public init(log: any Log, topic: String, settings: Settings = Settings()) {
        self.log = log
        self.topic = topic
        self.settings = settings
    }

    public func run() async throws {
        try await runReportingState({ state, failure in
            progress.withLock {
                $0.state = state
                if let failure { $0.error = failure }
            }
        }) { try await self.loop() }
    }

    private func loop() async throws {
        let partitions = try log.describeTopic(topic).partitions.map(\.partition)
        var positions = Dictionary(uniqueKeysWithValues: partitions.map { ($0, Offset(0)) })
        var ratings = Ratings()
        var sinceModel = 0
        var lastModel = ContinuousClock.now
        var version: Int64 = 0
        progress.withLock { $0.state = .running }
        while !Task.isCancelled {
            var read = 0
            for partition in partitions {
                let tp = TopicPartition(topic, partition)
                let fetched = try log.read(tp, from: positions[partition]!, maxBytes: 1 << 20)
                var skipped: Int64 = 0
                fetched.forEach { record in
                    do {
                        try ratings.appendJSON(record.value, line: Int(record.offset))
                        read += 1
                    } catch {
                        skipped += 1
                    }
                }
                positions[partition] = fetched.nextOffset
                progress.withLock {
                    $0.positions[partition] = fetched.nextOffset
                    $0.ratings = ratings.count
                    $0.skipped += skipped
                }
            }
            sinceModel += read
            let due =
                sinceModel >= settings.retrainEvery
                || (sinceModel > 0 && lastModel.duration(to: .now) >= settings.retrainInterval)
            if due, !ratings.isEmpty {
                version += 1
                try await train(ratings, version: version)
                sinceModel = 0
                lastModel = .now
            }
            if read == 0, settings.once {
                if sinceModel > 0, !ratings.isEmpty { try await train(ratings, version: version + 1) }
                return
            }
            if read == 0 {
                // Caught up: wait for the next append to any partition (the log wakes waiters; no polling).
                _ = await log.waitForData(
                    TopicPartition(topic, partitions[0]), beyond: positions[partitions[0]]!,
                    timeout: .milliseconds(partitions.count == 1 ? 1000 : 100))
            }
        }
    }

    private func train(_ ratings: Ratings, version: Int64) async throws {
        let started = ContinuousClock.now
        let iterations = Mutex<[TrainingProgress]>([])
        var model = try await Self.offThePool { [als = settings.als] in
            try als.train(ratings) { step in iterations.withLock { $0.append(step) } }
        }
        model.metadata.version = UInt64(version)
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        models.offer(model)
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        progress.withLock { $0.lastModel = (version, now, seconds) }
        let row = SinkBatch(
            pipeline: "recommendations", table: "models", batchId: version, mode: .update,
            columns: [
                Column("version", .int), Column("ratings", .int), Column("users", .int),
                Column("items", .int),
                Column("train_seconds", .double), Column("trained_at", .timestamp),
            ],
            keyColumns: [0],
            rows: [
                [
                    .int(version), .int(Int64(ratings.count)), .int(Int64(model.users.count)),
                    .int(Int64(model.items.count)), .double(seconds), .timestamp(now),
                ]
            ],
            offsets: [:])
        try await history.write(row)
        try await training.write(Self.trainingBatch(iterations.withLock { $0 }, version: version))
        try await settings.display?.write(row)
        if let sink = settings.recommendations {
            try await sink.write(
                Self.recommendationsBatch(model, n: settings.topN, version: version, at: now))
        }
    }

    /// Runs `work` on a thread of its own and waits for it without holding a thread of Swift's cooperative
    /// pool: training takes seconds of CPU, and the pool (one thread per core) also serves HTTP requests and
    /// runs the other pipelines.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.name = "eddy-als-training"
            thread.qualityOfService = .utility
            thread.start()
        }
    }

    /// Table `training`: one row per iteration of model `version`, keyed by (model, iteration).
    static func trainingBatch(_ steps: [TrainingProgress], version: Int64) -> SinkBatch {
        SinkBatch(
            pipeline: "recommendations", table: "training", batchId: version, mode: .update,
            columns: [
                Column("model", .string), Column("model_version", .int), Column("iteration", .int),
                Column("training_rmse", .double), Column("seconds", .double),
            ],
            keyColumns: [1, 2],
            rows: steps.map { step in
                [
                    .string("model \(version)"), .int(version), .int(Int64(step.iteration)),
                    step.trainingRMSE.map { .double($0) } ?? .null, .double(step.seconds),
                ]
            },
            offsets: [:])
    }

    /// Table `recommendations`: one row per user of `model` — `user_id` (its id as text), `items` (an
    /// array of `{item_id, score}`, best first), `model_version`, `updated_at`.
    static func recommendationsBatch(_ model: ALSModel, n: Int, version: Int64, at micros: Int64) -> SinkBatch
    {
        let all = model.recommendForAllUsers(n: n)
        let itemType = ColumnType.object([Column("item_id", .string), Column("score", .double)])
        var rows: [Row] = []
        rows.reserveCapacity(all.count)
        for (index, items) in all.enumerated() {
            let list = items.map { item -> Value in
                .object(["item_id": .string(item.item.description), "score": .double(Double(item.score))])
            }
            rows.append([
                .string(model.users.ids[index].description), .array(list), .int(version), .timestamp(micros),
            ])
        }
        return SinkBatch(
            pipeline: "recommendations", table: "recommendations", batchId: version, mode: .update,
            columns: [
                Column("user_id", .string), Column("items", .array(itemType)), Column("model_version", .int),
                Column("updated_at", .timestamp),
            ],
            keyColumns: [0], rows: rows, offsets: [:])
    }

    /// False once the trainer has stopped (or failed): no newer model will come.
    public var isRunning: Bool {
        progress.withLock { $0.state == .starting || $0.state == .running }
    }

    /// What the server shows for this pipeline.
    func snapshot() -> PipelineSnapshot {
        let progress = self.progress.withLock { $0 }
        var partitions: [PartitionProgress] = []
        for (partition, position) in progress.positions.sorted(by: { $0.key < $1.key }) {
            let end = (try? log.offsets(of: TopicPartition(topic, partition)).end) ?? position
            partitions.append(
                PartitionProgress(topic: topic, partition: partition, position: position, endOffset: end))
        }
        return PipelineSnapshot(
            state: progress.state, sources: [topic], partitions: partitions,
            recordsIn: Int64(progress.ratings) + progress.skipped,
            recordsOut: progress.lastModel?.version ?? 0,
            deadLetters: progress.skipped,
            lastBatch: progress.lastModel.map {
                BatchSummary(id: $0.version, finishedAtMicros: $0.micros, durationMillis: $0.seconds * 1000)
            },
            error: progress.error)
    }
}

/// The trainer seen by the server.
struct RecommendationHandle: PipelineHandle {
    let name: String
    let trainer: RecommendationTrainer

    /// The models' history and, when kept, every user's current top-N.
    var recommendations: LiveTable?
    /// Item titles the API adds, when a catalogue was given.
    var titles: ItemTitles? = nil
    var tables: [any LiveTableReader] {
        [trainer.history, trainer.training] + (recommendations.map { [$0] } ?? [])
    }
    func status() -> PipelineSnapshot { trainer.snapshot() }
}
