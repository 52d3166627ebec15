import Crypto
import Foundation

/// SCRAM-SHA-256 (RFC 5802, RFC 7677) on the server side: the primitives and the two-message exchange.
enum SCRAM {
    static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    /// PBKDF2-HMAC-SHA-256 with one 32-byte block: SCRAM's `Hi(password, salt, iterations)`.
    static func saltedPassword(_ password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        var block = Array(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var result = block
        for _ in 1..<max(iterations, 1) {
            block = Array(HMAC<SHA256>.authenticationCode(for: block, using: key))
            for i in result.indices { result[i] ^= block[i] }
        }
        return result
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    /// `saslname` of RFC 5802: `=2C` is a comma, `=3D` an equals sign; any other `=` is malformed.
    static func unescape(_ name: Substring) -> String? {
        guard !name.isEmpty else { return nil }
        var result = ""
        var rest = name[...]
        while let index = rest.firstIndex(of: "=") {
            result += rest[..<index]
            let code = rest[rest.index(after: index)...].prefix(2)
            switch code {
            case "2C": result += ","
            case "3D": result += "="
            default: return nil
            }
            rest = rest[rest.index(index, offsetBy: 3)...]
        }
        return result + rest
    }

    /// The attributes of a SCRAM message (`n=user,r=nonce,...`), by their one-letter names.
    static func attributes(_ message: Substring) -> [Character: Substring] {
        var result: [Character: Substring] = [:]
        for part in message.split(separator: ",", omittingEmptySubsequences: false) {
            guard part.count >= 2, part[part.index(after: part.startIndex)] == "=", let name = part.first
            else { continue }
            if result[name] == nil { result[name] = part.dropFirst(2) }
        }
        return result
    }
}
