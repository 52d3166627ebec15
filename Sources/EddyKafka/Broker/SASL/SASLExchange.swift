import Foundation

/// One connection's SASL conversation on the server side: the client's tokens in, the broker's answers
/// out, until the client is authenticated or refused.
///
/// ```swift
/// var exchange = SASLExchange(mechanism: .plain, users: credentials)
/// switch exchange.step(Array("\0alice\0secret".utf8)) {
/// case .success(_, let user): print("authenticated \(user)")
/// case .challenge, .failure: break
/// }
/// ```
struct SASLExchange: Sendable {
    enum Step: Equatable {
        /// Send these bytes and wait for the client's next token.
        case challenge([UInt8])
        /// Authenticated; send these (possibly empty) bytes.
        case success([UInt8], user: String)
        /// Refused, with a reason a client may be shown (no secrets in it).
        case failure(String)
    }

    private enum State {
        case start
        case scramServerFirstSent(
            user: String, credential: SASLCredential, gs2Header: Substring, clientFirstBare: Substring,
            serverFirst: String, nonce: String)
        case finished
    }

    let mechanism: SASLMechanism
    let users: [String: SASLCredential]
    private var state = State.start

    init(mechanism: SASLMechanism, users: [String: SASLCredential]) {
        self.mechanism = mechanism
        self.users = users
    }

    static let invalidCredentials = "Authentication failed: Invalid username or password"
    /// Characters of the server's part of the SCRAM nonce: 18 random bytes in base64.
    static let serverNonceLength = 24

    mutating func step(_ token: [UInt8]) -> Step {
        let result: Step
        switch (mechanism, state) {
        case (_, .finished):
            result = .failure("the SASL exchange is already over")
        case (.plain, _):
            result = plain(token)
        case (.scramSHA256, .start):
            result = scramFirst(token)
        case (
            .scramSHA256,
            .scramServerFirstSent(let user, let credential, let gs2, let bare, let first, let nonce)
        ):
            result = scramFinal(
                token, user: user, credential: credential, gs2Header: gs2, clientFirstBare: bare,
                serverFirst: first,
                nonce: nonce)
        }
        if case .challenge = result {} else { state = .finished }
        return result
    }

    /// RFC 4616: `authzid NUL authcid NUL passwd`; an authzid other than the user is refused, as in Kafka.
    private func plain(_ token: [UInt8]) -> Step {
        let parts = token.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let user = String(bytes: parts[1], encoding: .utf8), !user.isEmpty else {
            return .failure("malformed SASL/PLAIN token: expected authzid NUL username NUL password")
        }
        let authzid = String(decoding: parts[0], as: UTF8.self)
        guard authzid.isEmpty || authzid == user else {
            return .failure("SASL/PLAIN authorization id must be empty or the username")
        }
        guard let credential = users[user], credential.matches(password: Array(parts[2])) else {
            return .failure(Self.invalidCredentials)
        }
        return .success([], user: user)
    }

    /// client-first `gs2-header client-first-bare`, e.g. `n,,n=alice,r=nonce`; answers
    /// `r=nonce+server-nonce,s=salt,i=iterations`.
    private mutating func scramFirst(_ token: [UInt8]) -> Step {
        guard let message = String(bytes: token, encoding: .utf8) else {
            return .failure("malformed SCRAM client-first message: not UTF-8")
        }
        // gs2-header: a channel-binding flag ("n" or "y"; "p=..." would need TLS), an optional authzid.
        let fields = message.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == "n" || fields[0] == "y" else {
            return .failure("malformed SCRAM client-first message (channel binding is not supported)")
        }
        let gs2Header = message[..<fields[2].startIndex]
        let bare = fields[2]
        let attributes = SCRAM.attributes(bare)
        guard let name = attributes["n"], let user = SCRAM.unescape(name), let clientNonce = attributes["r"],
            !clientNonce.isEmpty
        else {
            return .failure("malformed SCRAM client-first message: expected n=user,r=nonce")
        }
        if !fields[1].isEmpty, let authzid = SCRAM.unescape(fields[1].dropFirst(2)), authzid != user {
            return .failure("SCRAM authorization id must be empty or the username")
        }
        guard let credential = users[user] else { return .failure(Self.invalidCredentials) }
        var generator = SystemRandomNumberGenerator()
        let serverNonce = Data((0..<18).map { _ in UInt8.random(in: 0...255, using: &generator) })
            .base64EncodedString()
        assert(serverNonce.count == Self.serverNonceLength)
        let nonce = String(clientNonce) + serverNonce
        let serverFirst =
            "r=\(nonce),s=\(Data(credential.salt).base64EncodedString()),i=\(credential.iterations)"
        state = .scramServerFirstSent(
            user: user, credential: credential, gs2Header: gs2Header, clientFirstBare: bare,
            serverFirst: serverFirst,
            nonce: nonce)
        return .challenge(Array(serverFirst.utf8))
    }

    /// client-final `c=base64(gs2-header),r=nonce,p=base64(proof)`; answers `v=base64(server-signature)`.
    private func scramFinal(
        _ token: [UInt8], user: String, credential: SASLCredential, gs2Header: Substring,
        clientFirstBare: Substring,
        serverFirst: String, nonce: String
    ) -> Step {
        guard let message = String(bytes: token, encoding: .utf8), let proofAt = message.range(of: ",p=")
        else {
            return .failure("malformed SCRAM client-final message: no proof")
        }
        let withoutProof = message[..<proofAt.lowerBound]
        let attributes = SCRAM.attributes(message[...])
        guard let binding = attributes["c"], let proofText = attributes["p"],
            let receivedNonce = attributes["r"],
            let proof = Data(base64Encoded: String(proofText)), proof.count == 32
        else {
            return .failure("malformed SCRAM client-final message: expected c=,r=,p=")
        }
        guard Data(base64Encoded: String(binding)) == Data(gs2Header.utf8) else {
            return .failure("SCRAM channel binding does not match the client-first message")
        }
        // librdkafka before 2.1 sends its own nonce again in front of the combined one
        // (`r=client-nonce client-nonce server-nonce`); Kafka accepts any nonce ending with the combined one.
        // Accept exactly these two forms: the proof below is computed over the message as sent, so the
        // server's fresh nonce is still bound into it.
        let clientNonce = nonce.dropLast(Self.serverNonceLength)
        guard receivedNonce == nonce || receivedNonce == clientNonce + nonce else {
            return .failure("SCRAM nonce does not match")
        }
        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let clientSignature = SCRAM.hmac(key: credential.storedKey, authMessage)
        let clientKey = zip(Array(proof), clientSignature).map { $0 ^ $1 }
        guard SCRAM.constantTimeEqual(SCRAM.sha256(clientKey), credential.storedKey) else {
            return .failure(Self.invalidCredentials)
        }
        let serverSignature = SCRAM.hmac(key: credential.serverKey, authMessage)
        return .success(Array("v=\(Data(serverSignature).base64EncodedString())".utf8), user: user)
    }
}
