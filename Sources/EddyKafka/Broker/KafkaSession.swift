/// One connection's state as the broker sees it: whether the client has authenticated (always, when
/// SASL is off), and the SASL conversation in progress.
///
/// ```swift
/// var session = KafkaSession(authenticated: configuration.sasl == nil)
/// let response = try await broker.handle(frame: frame, peer: peer, session: &session)
/// if session.mustClose { /* write the response, then close */ }
/// ```
public struct KafkaSession: Sendable {
    /// Requests other than ApiVersions and the SASL ones are served only when this is true.
    public internal(set) var authenticated: Bool
    /// The user a SASL exchange authenticated.
    public internal(set) var user: String?
    /// Set when the connection must be closed after the response just returned (a failed or out-of-order
    /// SASL exchange, as Kafka does).
    public internal(set) var mustClose = false
    var exchange: SASLExchange?
    /// After SaslHandshake v0 the tokens come as bare frames (no request header), answered likewise.
    var bareTokens = false

    public init(authenticated: Bool) {
        self.authenticated = authenticated
    }
}
