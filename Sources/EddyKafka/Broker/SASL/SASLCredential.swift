import Crypto

/// What the broker keeps of a user's password: SCRAM's salted keys (RFC 5802), never the password.
/// PLAIN is checked by deriving the same keys from the password the client sent.
struct SASLCredential: Sendable, CustomStringConvertible {
    /// Kafka's minimum for SCRAM-SHA-256.
    static let iterations = 4096

    let salt: [UInt8]
    let iterations: Int
    let storedKey: [UInt8]
    let serverKey: [UInt8]

    init(password: String, salt: [UInt8]? = nil, iterations: Int = SASLCredential.iterations) {
        var generator = SystemRandomNumberGenerator()
        let salt = salt ?? (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let salted = SCRAM.saltedPassword(Array(password.utf8), salt: salt, iterations: iterations)
        self.salt = salt
        self.iterations = iterations
        storedKey = SCRAM.sha256(SCRAM.hmac(key: salted, Array("Client Key".utf8)))
        serverKey = SCRAM.hmac(key: salted, Array("Server Key".utf8))
    }

    /// Whether `password` is this user's password (PLAIN), comparing in constant time.
    func matches(password: [UInt8]) -> Bool {
        let salted = SCRAM.saltedPassword(password, salt: salt, iterations: iterations)
        let stored = SCRAM.sha256(SCRAM.hmac(key: salted, Array("Client Key".utf8)))
        return SCRAM.constantTimeEqual(stored, storedKey)
    }

    var description: String { "SASLCredential(<redacted>)" }
}
