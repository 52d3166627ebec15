import EddyServer
import EddyStream
import Synchronization

/// A pipeline stand-in: fixed tables and a status the test sets.
final class FakePipeline: PipelineHandle {
    let name: String
    let tables: [any LiveTableReader]
    private let current: Mutex<PipelineStatus>

    init(
        name: String, tables: [any LiveTableReader], status: PipelineStatus = PipelineStatus(state: .running)
    ) {
        self.name = name
        self.tables = tables
        self.current = Mutex(status)
    }

    func status() -> PipelineStatus { current.withLock { $0 } }
    func setStatus(_ status: PipelineStatus) { current.withLock { $0 = status } }
}
