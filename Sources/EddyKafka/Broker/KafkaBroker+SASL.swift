import Logging
import NIOCore

extension KafkaBroker {
    /// SaslHandshake: the client's mechanism must be the configured one; the exchange starts. Anything out
    /// of order (a second handshake, SASL off) is answered with Kafka's error code and, as in Kafka, the
    /// connection is closed after the answer.
    func saslHandshake(_ request: SaslHandshakeRequest, version: Int16, session: inout KafkaSession)
        -> SaslHandshakeResponse
    {
        var response = SaslHandshakeResponse()
        guard let sasl = configuration.sasl else {
            response.errorCode = ErrorCode.unsupportedSaslMechanism.rawValue
            return response
        }
        response.mechanisms = [sasl.mechanism.rawValue]
        if session.authenticated || session.exchange != nil {
            response.errorCode = ErrorCode.illegalSaslState.rawValue
            session.mustClose = true
        } else if request.mechanism != sasl.mechanism.rawValue {
            response.errorCode = ErrorCode.unsupportedSaslMechanism.rawValue
            session.mustClose = true
        } else {
            session.exchange = SASLExchange(mechanism: sasl.mechanism, users: sasl.credentials)
            session.bareTokens = version == 0
        }
        return response
    }

    /// SaslAuthenticate: one step of the exchange the handshake started.
    func saslAuthenticate(_ request: SaslAuthenticateRequest, peer: String, session: inout KafkaSession)
        -> SaslAuthenticateResponse
    {
        var response = SaslAuthenticateResponse()
        guard var exchange = session.exchange, !session.bareTokens, !session.authenticated else {
            response.errorCode = ErrorCode.illegalSaslState.rawValue
            response.errorMessage =
                session.authenticated
                ? "already authenticated" : "SaslAuthenticate must follow a SaslHandshake v1"
            session.mustClose = true
            return response
        }
        switch exchange.step(Array(request.authBytes.readableBytesView)) {
        case .challenge(let bytes):
            response.authBytes = ByteBuffer(bytes: bytes)
        case .success(let bytes, let user):
            response.authBytes = ByteBuffer(bytes: bytes)
            authenticated(&session, user: user, peer: peer, mechanism: exchange.mechanism)
        case .failure(let reason):
            response.errorCode = ErrorCode.saslAuthenticationFailed.rawValue
            response.errorMessage = reason
            session.mustClose = true
            logger.warning("SASL/\(exchange.mechanism) authentication from \(peer) failed: \(reason)")
        }
        session.exchange = exchange
        return response
    }

    /// A token of the v0 handshake's exchange, sent as a bare frame and answered as one; a failure closes
    /// the connection without an answer (the v0 protocol has no way to carry an error).
    func saslBareToken(_ frame: ByteBuffer, peer: String, session: inout KafkaSession)
        throws(KafkaRequestError)
        -> ByteBuffer
    {
        guard var exchange = session.exchange else { throw .authenticationFailed("no SASL exchange started") }
        let step = exchange.step(Array(frame.readableBytesView))
        session.exchange = exchange
        let bytes: [UInt8]
        switch step {
        case .challenge(let challenge):
            bytes = challenge
        case .success(let final, let user):
            bytes = final
            session.bareTokens = false
            authenticated(&session, user: user, peer: peer, mechanism: exchange.mechanism)
        case .failure(let reason):
            throw .authenticationFailed("SASL/\(exchange.mechanism): \(reason)")
        }
        var buffer = ByteBufferAllocator().buffer(capacity: 4 + bytes.count)
        buffer.writeInteger(Int32(bytes.count))
        buffer.writeBytes(bytes)
        return buffer
    }

    private func authenticated(
        _ session: inout KafkaSession, user: String, peer: String, mechanism: SASLMechanism
    ) {
        session.authenticated = true
        session.user = user
        logger.debug("\(peer) authenticated as \(user) with SASL/\(mechanism)")
    }
}
