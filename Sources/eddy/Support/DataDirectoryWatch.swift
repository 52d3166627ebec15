import EddyLog
import ServiceLifecycle

/// Ends a command whose data directory was removed, or replaced by another directory of the same name, while
/// it ran (a clean-up script's `rm -rf data`): the log has stopped writing to it by then, and the command
/// exits with one error naming the directory instead of running on with nowhere to put its work.
///
/// ```swift
/// services.append(DataDirectoryWatch(log: log))
/// ```
struct DataDirectoryWatch: Service {
    let log: FileLog

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    // The log's own thread checks every 100 ms; this only looks at what it found.
                    try await Task.sleep(for: .milliseconds(200))
                    if let problem = log.directoryProblem { throw problem }
                }
            }
        } catch is CancellationError {
            // Shutting down.
        }
    }
}
