import EddyServer
import ServiceLifecycle

/// Runs a service's `loop` until it ends or graceful shutdown cancels it, telling `report` how it ended:
/// `.stopped` for an end or a cancellation, `.failed` with the error's text (then rethrown) otherwise.
/// The app services that are not engine pipelines (trainers, pollers) keep their state this one way.
///
/// ```swift
/// try await runReportingState({ state, failure in progress.withLock { $0.state = state; $0.failure = failure } }) {
///     try await self.loop()
/// }
/// ```
func runReportingState(
    _ report: (PipelineSnapshot.State, String?) -> Void, _ loop: @escaping @Sendable () async throws -> Void
) async throws {
    do {
        try await cancelWhenGracefulShutdown { try await loop() }
        report(.stopped, nil)
    } catch is CancellationError {
        report(.stopped, nil)
    } catch {
        report(.failed, "\(error)")
        throw error
    }
}
