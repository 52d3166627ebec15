import Synchronization

/// The model a server answers from, replaced atomically by a newer version: readers take the current
/// value (a copy-on-write struct, so a swap never disturbs an answer in progress) and a retrain offers
/// its model, which is installed only if its version is newer than the current one.
///
/// ```swift
/// let slot = ModelSlot()
/// slot.offer(try ModelFile.read(path: "models/latest"))
/// let top = slot.current?.recommend(user: .int(42), n: 10)
/// ```
public final class ModelSlot: Sendable {
    private let model = Mutex<ALSModel?>(nil)

    public init(_ initial: ALSModel? = nil) {
        model.withLock { $0 = initial }
    }

    public var current: ALSModel? {
        model.withLock { $0 }
    }

    /// Installs `candidate` when no model is loaded or its version is newer; returns whether it did.
    @discardableResult
    public func offer(_ candidate: ALSModel) -> Bool {
        model.withLock { current in
            if let current, current.metadata.version >= candidate.metadata.version { return false }
            current = candidate
            return true
        }
    }
}
