import Testing

@testable import EddyML

@Suite struct RecommenderTests {
    static let ratings = RatingsSimulator(users: 50, items: 70, rank: 3, seed: 12).ratings(count: 1200)

    /// Top-N by the heap equals a full sort of every unrated item's score (ties to the lower index).
    @Test func topNMatchesBruteForce() throws {
        let model = try ALS(rank: 4, maxIterations: 3, seed: 1).train(Self.ratings)
        for u in 0..<model.users.count {
            let rated = Set(model.rated.range(of: u).map { model.rated.columns[$0] })
            var scored: [(index: Int32, score: Float)] = []
            for i in 0..<model.items.count where !rated.contains(Int32(i)) {
                scored.append((Int32(i), model.predict(userIndex: u, itemIndex: i)))
            }
            scored.sort { a, b in a.score > b.score || (a.score == b.score && a.index < b.index) }
            let expected: [Int32] = scored.prefix(7).map { $0.index }
            let actual = model.recommend(userIndex: u, n: 7)
            #expect(actual.map { $0.itemIndex } == expected)
            #expect(actual.allSatisfy { !rated.contains($0.itemIndex) })
        }
        let all = model.recommendForAllUsers(n: 7, workers: 2)
        #expect(all.count == model.users.count)
        #expect(all[3] == model.recommend(userIndex: 3, n: 7))
        let subset = model.recommendForUserSubset([.int(1), .int(-5)], n: 3)
        #expect(subset[0].items != nil && subset[1].items == nil)
    }

    @Test func asksForMoreThanThereAre() throws {
        let model = try ALS(rank: 2, maxIterations: 2).train(Fixtures.smallRatings(users: 3, items: 4))
        let top = model.recommend(userIndex: 0, n: 100)
        #expect(top.count == model.items.count - model.rated.count(of: 0))
    }

    /// An explicit model's user rows come from the final user step against the final items, so folding a
    /// training user's own ratings back in must give the same row.
    @Test func foldInEqualsTheTrainedRow() throws {
        let model = try ALS(rank: 5, maxIterations: 5, regParam: 0.1, seed: 2).train(Self.ratings)
        let byUser = Self.ratings.byUser()
        for u in [0, 7, 23, 49] where u < model.users.count {
            let own = byUser.range(of: u).map {
                (item: Self.ratings.items.ids[Int(byUser.columns[$0])], rating: byUser.values[$0])
            }
            let folded = model.foldIn(own)
            for (x, y) in zip(folded.factors, model.userFactors.row(u)) { #expect(abs(x - y) < 1e-5) }
            #expect(
                model.recommend(folded, n: 5).map(\.itemIndex)
                    == model.recommend(userIndex: u, n: 5).map(\.itemIndex))
        }
        let stranger = model.foldIn([(item: .string("never seen"), rating: 5)])
        #expect(stranger.unknownItems == [.string("never seen")] && stranger.factors.allSatisfy { $0 == 0 })
    }

    @Test func implicitFoldInEqualsTheExactTrainedRow() throws {
        let model = try ImplicitALS(rank: 4, maxIterations: 4, alpha: 3, solver: .cholesky, seed: 2)
            .train(Self.ratings)
        let byUser = model.rated
        for u in [0, 11, 30] {
            let own = byUser.range(of: u).map {
                (item: model.items.ids[Int(byUser.columns[$0])], rating: byUser.values[$0])
            }
            let folded = model.foldIn(own)
            for (x, y) in zip(folded.factors, model.userFactors.row(u)) { #expect(abs(x - y) < 1e-4) }
        }
    }

    @Test func modelSlotInstallsOnlyNewerVersions() throws {
        var first = try ALS(rank: 2, maxIterations: 1).train(Fixtures.smallRatings())
        first.metadata.version = 2
        var older = first
        older.metadata.version = 1
        var newer = first
        newer.metadata.version = 3
        let slot = ModelSlot()
        #expect(slot.offer(first))
        #expect(!slot.offer(older))
        #expect(slot.current?.metadata.version == 2)
        #expect(slot.offer(newer))
        #expect(slot.current?.metadata.version == 3)
    }
}
