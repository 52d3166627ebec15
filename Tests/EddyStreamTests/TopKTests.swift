import Testing

@testable import EddyStream

@Suite struct TopKTests {
    /// Against a full sort, over random data with many ties, for every k from 0 past the count.
    @Test func selectsWhatASortWouldKeep() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let values = (0..<Int.random(in: 0...200, using: &generator)).map { _ in
                (Int.random(in: 0...20, using: &generator), Int.random(in: 0...1_000_000, using: &generator))
            }
            // Ties on the first field are broken by the second, as LiveTable breaks them by key.
            let precedes: ((Int, Int), (Int, Int)) -> Bool = { a, b in a.0 != b.0 ? a.0 > b.0 : a.1 < b.1 }
            let sorted = values.sorted(by: precedes)
            for k in [0, 1, 3, 10, values.count, values.count + 5] {
                let top = TopK.select(k, from: values, by: precedes)
                #expect(top.map(\.0) == sorted.prefix(k).map(\.0))
                #expect(top.map(\.1) == sorted.prefix(k).map(\.1))
            }
        }
    }

    @Test func liveTableTopNEqualsTheSortedTable() async throws {
        let table = LiveTable("t")
        let columns = [Column("id", .string), Column("score", .int)]
        let rows: [Row] = (0..<500).map { [.string("k\($0)"), .int(Int64($0 * 7919 % 97))] }
        try await table.write(
            SinkBatch(
                pipeline: "p", table: "t", batchId: 0, mode: .complete, columns: columns, keyColumns: [0],
                rows: rows,
                offsets: [:]))
        let everything = table.query(orderBy: "score", descending: true, limit: nil)
        #expect(table.query(orderBy: "score", descending: true, limit: 10) == Array(everything.prefix(10)))
        let even = table.query(orderBy: "score", descending: false, limit: 5) {
            if case .int(let score) = $0[1] { return score % 2 == 0 }
            return false
        }
        let reference = table.query(orderBy: "score", descending: false, limit: nil).filter {
            if case .int(let score) = $0[1] { return score % 2 == 0 }
            return false
        }
        #expect(even == Array(reference.prefix(5)))
    }
}
