import Foundation
import NIOCore
import Testing

@testable import EddyKafka

/// SASL PLAIN and SCRAM-SHA-256 on the broker, request by request: the exchanges, the refusals with Kafka's
/// error codes, and SCRAM's arithmetic against RFC 7677's example.
@Suite struct SASLTests {
    static let users = ["alice": "alice-secret", "bob": "p,a=ss"]

    func harness(_ mechanism: SASLMechanism) throws -> BrokerHarness {
        BrokerHarness(sasl: try KafkaSASL(mechanism: mechanism, users: Self.users))
    }

    func handshake(_ harness: BrokerHarness, _ mechanism: String, session: inout KafkaSession) async throws
        -> SaslHandshakeResponse
    {
        var request = SaslHandshakeRequest()
        request.mechanism = mechanism
        return try await harness.send(request, version: 1, session: &session)
    }

    func authenticate(
        _ harness: BrokerHarness, _ token: [UInt8], version: Int16 = 2, session: inout KafkaSession
    )
        async throws -> SaslAuthenticateResponse
    {
        var request = SaslAuthenticateRequest()
        request.authBytes = ByteBuffer(bytes: token)
        return try await harness.send(request, version: version, session: &session)
    }

    @Test func plainAuthenticatesAKnownUserAndRefusesAWrongPassword() async throws {
        let harness = try harness(.plain)
        var session = KafkaSession(authenticated: false)
        let shake = try await handshake(harness, "PLAIN", session: &session)
        #expect(shake.errorCode == 0 && shake.mechanisms == ["PLAIN"])
        let ok = try await authenticate(harness, Array("\0alice\0alice-secret".utf8), session: &session)
        #expect(ok.errorCode == 0)
        #expect(session.authenticated && session.user == "alice" && !session.mustClose)
        // Authenticated: the other APIs are served now.
        let _: MetadataResponse = try await harness.send(MetadataRequest(), version: 8, session: &session)

        var wrong = KafkaSession(authenticated: false)
        _ = try await handshake(harness, "PLAIN", session: &wrong)
        let refused = try await authenticate(harness, Array("\0alice\0guess".utf8), session: &wrong)
        #expect(refused.errorCode == ErrorCode.saslAuthenticationFailed.rawValue)
        #expect(refused.errorMessage?.contains("guess") == false)
        #expect(!wrong.authenticated && wrong.mustClose)
        var unknown = KafkaSession(authenticated: false)
        _ = try await handshake(harness, "PLAIN", session: &unknown)
        let nobody = try await authenticate(harness, Array("\0carol\0alice-secret".utf8), session: &unknown)
        #expect(nobody.errorCode == ErrorCode.saslAuthenticationFailed.rawValue)
    }

    @Test func requestsBeforeAuthenticationAreRefused() async throws {
        let harness = try harness(.scramSHA256)
        var session = KafkaSession(authenticated: false)
        // ApiVersions is answered, and lists the SASL APIs.
        let versions: ApiVersionsResponse = try await harness.send(
            ApiVersionsRequest(), version: 3, session: &session)
        #expect(
            versions.apiKeys.contains { $0.apiKey == ApiKey.saslAuthenticate.rawValue && $0.maxVersion == 2 })
        await #expect(throws: KafkaRequestError.self) {
            let _: MetadataResponse = try await harness.send(MetadataRequest(), version: 8, session: &session)
        }
        // SaslAuthenticate before a handshake: ILLEGAL_SASL_STATE, and the connection is to be closed.
        let early = try await authenticate(harness, Array("n,,n=alice,r=abc".utf8), session: &session)
        #expect(early.errorCode == ErrorCode.illegalSaslState.rawValue && session.mustClose)
        // A mechanism the broker does not use: UNSUPPORTED_SASL_MECHANISM naming the one it does.
        var other = KafkaSession(authenticated: false)
        let shake = try await handshake(harness, "PLAIN", session: &other)
        #expect(shake.errorCode == ErrorCode.unsupportedSaslMechanism.rawValue)
        #expect(shake.mechanisms == ["SCRAM-SHA-256"] && other.mustClose)
    }

    /// A SCRAM client written from RFC 5802 drives the exchange; the server's final message proves it
    /// knows the key too. The final nonce is the combined one, or (as librdkafka before 2.1 sends it) the
    /// client's nonce followed by the combined one; anything else is refused.
    @Test func scramExchangeAuthenticatesAndProvesTheServer() async throws {
        let cases = [
            ("p,a=ss", "combined", true), ("wrong", "combined", false), ("p,a=ss", "client+combined", true),
            ("p,a=ss", "other+combined", false), ("p,a=ss", "combined-truncated", false),
        ]
        for (password, form, expectSuccess) in cases {
            let harness = try harness(.scramSHA256)
            var session = KafkaSession(authenticated: false)
            let shake = try await handshake(harness, "SCRAM-SHA-256", session: &session)
            #expect(shake.errorCode == 0)
            let clientNonce = "fyko+d2lbbFgONRv9qkxdawL"
            let bare = "n=bob,r=\(clientNonce)"
            let first = try await authenticate(harness, Array("n,,\(bare)".utf8), session: &session)
            #expect(first.errorCode == 0)
            let serverFirst = String(decoding: first.authBytes.readableBytesView, as: UTF8.self)
            let attributes = SCRAM.attributes(serverFirst[...])
            let nonce = try #require(attributes["r"].map(String.init))
            #expect(nonce.hasPrefix(clientNonce) && nonce.count > clientNonce.count)
            let salt = try #require(attributes["s"].flatMap { Data(base64Encoded: String($0)) })
            let iterations = try #require(attributes["i"].flatMap { Int($0) })
            #expect(iterations >= 4096)
            let sent =
                switch form {
                case "client+combined": clientNonce + nonce
                case "other+combined": "AAAAAAAAAAAAAAAAAAAAAAAA" + nonce
                case "combined-truncated": String(nonce.dropLast())
                default: nonce
                }
            let withoutProof = "c=biws,r=\(sent)"
            let authMessage = Array("\(bare),\(serverFirst),\(withoutProof)".utf8)
            let salted = SCRAM.saltedPassword(Array(password.utf8), salt: Array(salt), iterations: iterations)
            let clientKey = SCRAM.hmac(key: salted, Array("Client Key".utf8))
            let signature = SCRAM.hmac(key: SCRAM.sha256(clientKey), authMessage)
            let proof = Data(zip(clientKey, signature).map { $0 ^ $1 }).base64EncodedString()
            let final = try await authenticate(
                harness, Array("\(withoutProof),p=\(proof)".utf8), session: &session)
            if expectSuccess {
                #expect(final.errorCode == 0 && session.authenticated && session.user == "bob", "\(form)")
                let serverSignature = SCRAM.hmac(
                    key: SCRAM.hmac(key: salted, Array("Server Key".utf8)), authMessage)
                #expect(
                    String(decoding: final.authBytes.readableBytesView, as: UTF8.self)
                        == "v=" + Data(serverSignature).base64EncodedString())
            } else {
                #expect(final.errorCode == ErrorCode.saslAuthenticationFailed.rawValue, "\(form)")
                #expect(!session.authenticated && session.mustClose)
            }
        }
    }

    /// RFC 7677 section 3: user "user", password "pencil".
    @Test func scramArithmeticMatchesRFC7677() throws {
        let salt = try #require(Data(base64Encoded: "W22ZaJ0SNY7soEsUEjb6gQ=="))
        let salted = SCRAM.saltedPassword(Array("pencil".utf8), salt: Array(salt), iterations: 4096)
        let authMessage =
            "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
        let clientKey = SCRAM.hmac(key: salted, Array("Client Key".utf8))
        let signature = SCRAM.hmac(key: SCRAM.sha256(clientKey), Array(authMessage.utf8))
        let proof = Data(zip(clientKey, signature).map { $0 ^ $1 }).base64EncodedString()
        #expect(proof == "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        let serverSignature = SCRAM.hmac(
            key: SCRAM.hmac(key: salted, Array("Server Key".utf8)), Array(authMessage.utf8))
        #expect(Data(serverSignature).base64EncodedString() == "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
    }

    /// After SaslHandshake v0 the token comes as a bare frame, and the answer too (empty for PLAIN).
    @Test func handshakeV0TakesBareTokens() async throws {
        let harness = try harness(.plain)
        var session = KafkaSession(authenticated: false)
        var request = SaslHandshakeRequest()
        request.mechanism = "PLAIN"
        let _: SaslHandshakeResponse = try await harness.send(request, version: 0, session: &session)
        let token = ByteBuffer(bytes: Array("\0alice\0alice-secret".utf8))
        let answer = try await harness.broker.handle(frame: token, peer: "test", session: &session)
        #expect(answer?.readableBytesView.elementsEqual([0, 0, 0, 0]) == true)
        #expect(session.authenticated)
        var wrong = KafkaSession(authenticated: false)
        let _: SaslHandshakeResponse = try await harness.send(request, version: 0, session: &wrong)
        await #expect(throws: KafkaRequestError.self) {
            _ = try await harness.broker.handle(
                frame: ByteBuffer(bytes: Array("\0alice\0nope".utf8)), peer: "test", session: &wrong)
        }
    }

    @Test func usersFilesAreParsedAndBadOnesNamed() throws {
        #expect(
            try KafkaSASL.parseUsers("# users\nalice:s3cret:with:colons\r\n\nbob: spaced \n")
                == ["alice": "s3cret:with:colons", "bob": " spaced "])
        #expect(try KafkaSASL.parseUsers("alice:a,bob:b") == ["alice": "a", "bob": "b"])
        #expect(throws: KafkaSASLError.malformedEntry(2)) { try KafkaSASL.parseUsers("alice:a\nbob\n") }
        #expect(throws: KafkaSASLError.duplicateUser("alice")) {
            try KafkaSASL.parseUsers("alice:a\nalice:b")
        }
        #expect(throws: KafkaSASLError.noUsers) { try KafkaSASL.parseUsers("# nobody\n") }
    }
}
