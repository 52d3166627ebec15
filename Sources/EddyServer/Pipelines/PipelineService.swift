public import EddyStream
public import ServiceLifecycle

/// Runs an engine pipeline as a service of a `ServiceGroup`: on graceful shutdown (SIGINT/SIGTERM) it asks
/// the runner to stop, which finishes the current batch, checkpoints and closes the sinks, so the next start
/// continues exactly where this one stopped.
///
/// ```swift
/// let group = ServiceGroup(services: [PipelineService(runner: runner)], gracefulShutdownSignals: [.sigint],
///                          logger: logger)
/// try await group.run()
/// ```
public struct PipelineService: Service {
    public let runner: PipelineRunner

    public init(runner: PipelineRunner) {
        self.runner = runner
    }

    /// A group cancelled rather than shut down (a service failed) stops the runner the same way: the runner
    /// does not poll for task cancellation between batches, so it is told.
    public func run() async throws {
        let runner = self.runner
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await runner.run()
            } onGracefulShutdown: {
                runner.stop()
            }
        } onCancel: {
            runner.stop()
        }
    }
}
