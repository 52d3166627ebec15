import EddyServer
import EddyStream
import Synchronization

/// A pipeline stand-in: fixed tables and a status the test sets.
final class FakePipeline: PipelineHandle {
    let name: String
    let tables: [any LiveTableReader]
    private let current: Mutex<PipelineSnapshot>

    init(
        name: String, tables: [any LiveTableReader],
        status: PipelineSnapshot = PipelineSnapshot(state: .running)
    ) {
        self.name = name
        self.tables = tables
        self.current = Mutex(status)
    }

    func status() -> PipelineSnapshot { current.withLock { $0 } }
    func setStatus(_ status: PipelineSnapshot) { current.withLock { $0 = status } }
}
