import Foundation
import Testing

@testable import EddyStream

@Suite struct KeyTableTests {
    @Test func internsEachDistinctKeyOnceThroughGrowthAndLookalikes() {
        var table = KeyTable(capacity: 4)
        // Same first and last eight bytes and length, different middles: equal hashes must still be told apart.
        var keys = (0..<500).map { "Sessao_de_\(String(format: "%03d", $0))_Eletronicos" }
        keys += ["", "a", "ab", "abcd", "abcde", "Caixa", "Entrada", "Cliente_1234"]
        var slots: [Int] = []
        for key in keys {
            var k = key
            slots.append(k.withUTF8 { table.slot(for: UnsafeRawBufferPointer($0)) })
        }
        #expect(slots == Array(0..<keys.count))
        for (i, key) in keys.enumerated().reversed() {
            var k = key
            #expect(k.withUTF8 { table.slot(for: UnsafeRawBufferPointer($0)) } == i)
            #expect(table.string(i) == key)
        }
        #expect(table.count == keys.count)
    }
}
