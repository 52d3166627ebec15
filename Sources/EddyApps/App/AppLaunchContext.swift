public import EddyLog
public import EddyStream

/// Where and how an app starts: the log, the data directory, its settings, and — under `eddy run` — the
/// trigger and where its results are printed.
///
/// ```swift
/// let context = AppLaunchContext(log: log, dataDirectory: "eddy-data", settings: ["topic": "motion"])
/// let once = AppLaunchContext(log: log, dataDirectory: "eddy-data", trigger: .once, console: .json)
/// ```
public struct AppLaunchContext: Sendable {
    /// How `eddy run` prints an app's results on standard output.
    public enum Console: String, Sendable, Hashable, CaseIterable {
        /// Spark's console sink: a `Batch: N` header and a table per batch.
        case table
        /// One JSON object per result row, with its batch.
        case json
    }

    public var log: any Log
    public var dataDirectory: String
    /// Delete checkpoints (and other state the app keeps) first and start from the beginning.
    public var reset: Bool
    /// `topic` and the app's own ``EddyApp/settings``, as given; absent keys take the app's defaults.
    public var settings: [String: String]
    public var checkpointInterval: Duration
    /// When the pipelines run batches; `.once` processes what is in the topics and stops.
    public var trigger: Trigger
    /// Where results are printed (`eddy run`); nil when they are only served (`eddy serve`).
    public var console: Console?
    /// A cap on the records one batch reads; nil for the engine's default.
    public var maxRecordsPerBatch: Int?
    /// Start at the end of the topics, not their beginning, when there is no checkpoint.
    public var startAtLatest: Bool
    /// The name the app's state is kept under (its checkpoint folder); nil for the app's own name.
    public var instance: String?

    public init(
        log: any Log, dataDirectory: String, reset: Bool = false, settings: [String: String] = [:],
        checkpointInterval: Duration = .seconds(5), trigger: Trigger = .continuous, console: Console? = nil,
        maxRecordsPerBatch: Int? = nil, startAtLatest: Bool = false, instance: String? = nil
    ) {
        self.log = log
        self.dataDirectory = dataDirectory
        self.reset = reset
        self.settings = settings
        self.checkpointInterval = checkpointInterval
        self.trigger = trigger
        self.console = console
        self.maxRecordsPerBatch = maxRecordsPerBatch
        self.startAtLatest = startAtLatest
        self.instance = instance
    }

    /// The sink printing results as ``console`` says, or nil when nothing is printed.
    public var consoleSink: (any Sink)? {
        switch console {
        case .table: ConsoleSink()
        case .json: JSONLinesSink()
        case nil: nil
        }
    }

    /// A setting's value read by `parse`, with what was wrong named after the setting.
    public func setting<T>(_ name: String, default fallback: T, _ parse: (String) -> T?) throws(SettingError)
        -> T
    {
        guard let text = settings[name] else { return fallback }
        guard let value = parse(text) else { throw SettingError("\(name) '\(text)' is not valid") }
        return value
    }

    /// Applies the run's trigger, checkpoint interval, batch cap and starting offsets to a pipeline.
    public func configure(_ pipeline: Pipeline) -> Pipeline {
        let configured = pipeline.trigger(trigger).checkpointInterval(checkpointInterval)
            .maxRecordsPerBatch(maxRecordsPerBatch)
        return startAtLatest ? configured.startingOffsets(.latest) : configured
    }
}
