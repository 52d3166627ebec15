import Synchronization

/// Chooses the partition of a record, like Kafka's default producer partitioner.
///
/// - A record with a key goes to `toPositive(murmur2(key)) % partitions`, where `toPositive` clears the sign
///   bit, exactly as Kafka's Java client does: the same key lands on the same partition here and on a Kafka
///   cluster with the same partition count.
/// - Keyless records are *sticky* (Kafka's KIP-480 behaviour, simplified): all keyless records of one
///   `append` call go to one partition, so they form one batch, and successive calls rotate round-robin
///   over the partitions. Over many calls the load spreads evenly.
///
/// ```swift
/// let p = Partitioner.partition(forKey: Array("Caixa".utf8), partitions: 3)
/// ```
public final class Partitioner: Sendable {
    private let nextSticky = Atomic<Int>(0)

    public init() {}

    /// Kafka's partition for a key: `(murmur2(key) & 0x7fffffff) % partitions`.
    public static func partition(forKey key: [UInt8], partitions: Int) -> Int {
        Int(Murmur2.hash(key) & 0x7fff_ffff) % partitions
    }

    /// The partition for the keyless records of the next append call.
    public func stickyPartition(partitions: Int) -> Int {
        let n = nextSticky.wrappingAdd(1, ordering: .relaxed).oldValue
        return Int(UInt(bitPattern: n) % UInt(partitions))
    }
}
