/// A SASL mechanism the Kafka listener can require, named as Kafka clients name it
/// (`sasl.mechanism`).
///
/// ```swift
/// SASLMechanism(rawValue: "SCRAM-SHA-256")  // .scramSHA256
/// ```
public enum SASLMechanism: String, Sendable, CaseIterable, CustomStringConvertible {
    case plain = "PLAIN"
    case scramSHA256 = "SCRAM-SHA-256"

    public var description: String { rawValue }
}
