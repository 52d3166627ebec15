import Synchronization

/// One spare ``ScanStorage`` kept by a ``JSONRowDecoder`` so that decoding a document does not allocate
/// scan buffers each time. Lock-free: a decode takes the spare (or makes a new one when another thread
/// holds it) and puts it back afterwards; a second spare is simply released.
final class ScanStorageCache: Sendable {
    /// The spare's retained pointer bits, 0 when empty.
    private let spare = Atomic<UInt>(0)

    func take() -> ScanStorage? {
        let bits = spare.exchange(0, ordering: .acquiring)
        guard let pointer = UnsafeRawPointer(bitPattern: bits) else { return nil }
        return Unmanaged<ScanStorage>.fromOpaque(pointer).takeRetainedValue()
    }

    func put(_ storage: ScanStorage) {
        let pointer = Unmanaged.passRetained(storage).toOpaque()
        let bits = UInt(bitPattern: pointer)
        if !spare.compareExchange(expected: 0, desired: bits, ordering: .releasing).exchanged {
            Unmanaged<ScanStorage>.fromOpaque(pointer).release()
        }
    }

    deinit {
        if let pointer = UnsafeRawPointer(bitPattern: spare.load(ordering: .acquiring)) {
            Unmanaged<ScanStorage>.fromOpaque(pointer).release()
        }
    }
}
