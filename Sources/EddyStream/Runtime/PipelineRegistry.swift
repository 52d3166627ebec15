import Synchronization

/// The pipelines running in this process, by name, so the HTTP API and the dashboard can list their status.
///
/// ```swift
/// let registry = PipelineRegistry()
/// registry.register(runner)
/// for status in registry.statuses { print(status.name, status.state, status.recordsPerSecond) }
/// ```
public final class PipelineRegistry: Sendable {
    private let runners = Mutex<[String: PipelineRunner]>([:])

    public init() {}

    public func register(_ runner: PipelineRunner) {
        runners.withLock { $0[runner.plan.name] = runner }
    }

    public func unregister(_ name: String) {
        _ = runners.withLock { $0.removeValue(forKey: name) }
    }

    public func runner(named name: String) -> PipelineRunner? { runners.withLock { $0[name] } }

    /// Every registered pipeline's status, sorted by name.
    public var statuses: [PipelineStatus] {
        runners.withLock { Array($0.values) }.map(\.status).sorted { $0.name < $1.name }
    }
}
