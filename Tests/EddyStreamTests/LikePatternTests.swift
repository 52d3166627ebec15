import Testing

@testable import EddyStream

/// `LIKE` over UTF-8 bytes against an obviously correct recursive matcher over Unicode scalars.
@Suite struct LikePatternTests {
    /// The reference: `%` any run of scalars, `_` exactly one, `\` escapes; exponential, fine for short input.
    static func reference(_ text: [Unicode.Scalar], _ pattern: [Unicode.Scalar]) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        switch first {
        case "%":
            return (0...text.count).contains { reference(Array(text[$0...]), Array(pattern.dropFirst())) }
        case "_":
            return !text.isEmpty && reference(Array(text.dropFirst()), Array(pattern.dropFirst()))
        case "\\" where pattern.count > 1:
            return text.first == pattern[1] && reference(Array(text.dropFirst()), Array(pattern.dropFirst(2)))
        default:
            return text.first == first && reference(Array(text.dropFirst()), Array(pattern.dropFirst()))
        }
    }

    @Test func examples() {
        #expect(LikePattern("Corredor%").matches("Corredor_A"))
        #expect(!LikePattern("Corredor%").matches("Caixa"))
        #expect(LikePattern("%_B").matches("Corredor_B"))
        #expect(LikePattern("Caf_").matches("Café"))
        #expect(!LikePattern("Caf__").matches("Café"))
        #expect(LikePattern("%é%").matches("Sessão de café"))
        #expect(LikePattern("50\\%").matches("50%"))
        #expect(!LikePattern("50\\%").matches("500"))
        #expect(LikePattern("%").matches(""))
        #expect(!LikePattern("_").matches(""))
    }

    @Test func randomPatternsAgreeWithTheReference() {
        var random = SeededRandom(seed: 7)
        let alphabet: [Unicode.Scalar] = ["a", "b", "é", "ç", "€", "😀"]
        let patternAlphabet: [Unicode.Scalar] = alphabet + ["%", "_", "%", "_", "\\"]
        for _ in 0..<3000 {
            let text = (0..<random.below(7)).map { _ in alphabet[random.below(alphabet.count)] }
            let pattern = (0..<random.below(6)).map { _ in
                patternAlphabet[random.below(patternAlphabet.count)]
            }
            var textString = ""
            textString.unicodeScalars.append(contentsOf: text)
            var patternString = ""
            patternString.unicodeScalars.append(contentsOf: pattern)
            let expected = Self.reference(text, pattern)
            #expect(
                LikePattern(patternString).matches(textString) == expected,
                "'\(textString)' LIKE '\(patternString)' should be \(expected)")
        }
    }

    struct SeededRandom {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func below(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }
}
