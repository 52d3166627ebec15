public import EddyStream

/// What the server needs from a running pipeline: its name, a status snapshot and its live output tables.
/// The engine's pipeline type is adapted to this with a thin wrapper, so the server depends on nothing
/// but the `LiveTableReader` contract.
///
/// ```swift
/// let server = EddyServer(pipelines: [retailHandle, salesHandle], log: log)
/// let app = try await server.application(host: "127.0.0.1", port: 8080)
/// ```
public protocol PipelineHandle: Sendable {
    var name: String { get }
    /// The pipeline's live output tables, by their names.
    var tables: [any LiveTableReader] { get }
    /// A consistent snapshot of progress and health; cheap enough to call per request.
    func status() -> PipelineSnapshot
    /// Its state alone, for `/health`: cheaper than a whole ``status()`` where a handle can tell.
    var state: PipelineSnapshot.State { get }
}

extension PipelineHandle {
    public var state: PipelineSnapshot.State { status().state }

    func table(named name: String) -> (any LiveTableReader)? {
        tables.first { $0.name == name }
    }
}
