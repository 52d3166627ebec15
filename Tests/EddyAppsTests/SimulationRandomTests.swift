import EddyApps
import Testing

@Suite struct SimulationRandomTests {
    @Test func sequenceIsFixedBySeed() {
        var a = SimulationRandom(seed: 123)
        var b = SimulationRandom(seed: 123)
        var c = SimulationRandom(seed: 124)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
    }

    @Test func intStaysInRangeAndCoversIt() {
        var random = SimulationRandom(seed: 1)
        var seen = Set<Int>()
        for _ in 0..<10_000 {
            let value = random.int(in: -3...3)
            #expect((-3...3).contains(value))
            seen.insert(value)
        }
        #expect(seen.count == 7)
        #expect(random.int(in: 5...5) == 5)
    }

    @Test func unitIsInHalfOpenRange() {
        var random = SimulationRandom(seed: 2)
        for _ in 0..<10_000 {
            let x = random.unit()
            #expect(x >= 0 && x < 1)
        }
    }
}
