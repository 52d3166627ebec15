public import EddyLog

/// Why a pipeline cannot be built or run. Each case says what to change.
public enum PipelineError: Error, Sendable, CustomStringConvertible {
    case noSource(pipeline: String)
    case noOutputs(pipeline: String)
    case duplicateTable(String)
    case unknownColumn(String, available: [String], stage: String)
    case typeMismatch(String, stage: String)
    /// An output mode that cannot work with this query, refused when the pipeline is built (Spark's rules).
    case invalidOutputMode(table: String, mode: OutputMode, reason: String)
    case unsupported(String)
    case checkpointMismatch(path: String, detail: String)
    /// A checkpoint exists but the plan has a closure stage without a name (`filter { … }`, `map(to:)`):
    /// nothing tells whether the closure is the one that wrote the checkpoint, so it is not resumed.
    case checkpointNotResumable(path: String, pipeline: String, stage: String)
    case checkpointCorrupt(path: String, detail: String)
    case checkpointIO(path: String, operation: String, errno: Int32)
    case log(LogError)
    case sink(table: String, message: String)
    /// A setting out of its range (``Pipeline/maxRecordsPerBatch(_:)`` of 0, negative workers, ...).
    case invalidSetting(pipeline: String, setting: String, detail: String)
    /// Another process is running this pipeline on the same data directory (it holds `pipeline.lock`).
    case pipelineRunning(pipeline: String, holder: String, lockPath: String)

    public var description: String {
        switch self {
        case .noSource(let p):
            return "pipeline '\(p)' has no source; add .source(topic:schema:)"
        case .noOutputs(let p):
            return "pipeline '\(p)' has no output; end it with .output(mode:to:)"
        case .duplicateTable(let t):
            return "two outputs are called '\(t)'; give each .output a distinct table name"
        case .unknownColumn(let name, let available, let stage):
            return "no column '\(name)' in \(stage); available: \(available.joined(separator: ", "))"
        case .typeMismatch(let detail, let stage):
            return "\(detail) in \(stage)"
        case .invalidOutputMode(let table, let mode, let reason):
            return "output '\(table)' cannot use \(mode.rawValue) mode: \(reason)"
        case .unsupported(let detail):
            return detail
        case .checkpointMismatch(let path, let detail):
            return "checkpoint \(path) belongs to a different pipeline definition (\(detail))"
        case .checkpointNotResumable(let path, let pipeline, let stage):
            return
                "pipeline '\(pipeline)' cannot resume checkpoint \(path): \(stage) is an unnamed closure, so "
                + "nothing shows whether it is the code that wrote the checkpoint; name it "
                + "(.filter(\"adults\") { … }, .map(\"name\", to: …) { … }) and change the name when the code "
                + "changes meaning"
        case .checkpointCorrupt(let path, let detail):
            return "checkpoint \(path) is unreadable (\(detail))"
        case .checkpointIO(let path, let operation, let errno):
            return "\(operation) \(path) failed: \(String(cString: strerror(errno))) (errno \(errno))"
        case .log(let error):
            return error.description
        case .sink(let table, let message):
            return "sink of '\(table)' failed: \(message)"
        case .invalidSetting(let pipeline, let setting, let detail):
            return "pipeline '\(pipeline)': \(setting) \(detail)"
        case .pipelineRunning(let pipeline, let holder, let lockPath):
            return
                "pipeline '\(pipeline)' is already running in another eddy process (\(holder), holding \(lockPath))"
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
