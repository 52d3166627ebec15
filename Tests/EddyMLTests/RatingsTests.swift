import Foundation
import Testing

@testable import EddyML

@Suite struct RatingsTests {
    @Test func parsesIdsOfBothKindsAndSkipsOtherFields() throws {
        var ratings = Ratings()
        try ratings.appendJSONLines(
            Data(
                """
                {"user_id": 196, "item_id": 242, "rating": 3, "timestamp": 881250949}
                {"rating":4.5,"item_id":"tt\\u0030\\"1","user_id":"ann","extra":{"a":[1,{"b":null}],"c":"}"}}

                  {"user_id": -1, "item_id": 242, "rating": -2.5e0}\r
                """.utf8))
        #expect(ratings.count == 3)
        #expect(ratings.users.ids == [.int(196), .string("ann"), .int(-1)])
        #expect(ratings.items.ids == [.int(242), .string("tt0\"1")])
        #expect(ratings.values == [3, 4.5, -2.5])
        #expect(ratings.userIndices == [0, 1, 2] && ratings.itemIndices == [0, 1, 0])
    }

    @Test(arguments: [
        ("[1, 2]", RatingsError.malformed(line: 2, reason: "expected '{' at byte 1")),
        (#"{"user_id": 1, "item_id": 2}"#, .missingField(line: 2, field: "rating")),
        (
            #"{"user_id": 1.5, "item_id": 2, "rating": 1}"#,
            .invalidField(line: 2, field: "user_id", reason: "is 1.5, not an integer or a string")
        ),
        (
            #"{"user_id": null, "item_id": 2, "rating": 1}"#,
            .invalidField(line: 2, field: "user_id", reason: "is null, not an integer or a string")
        ),
        (
            #"{"user_id": 1, "item_id": 2, "rating": "5"}"#,
            .invalidField(line: 2, field: "rating", reason: "is a string, not a number")
        ),
        (
            #"{"user_id": 1, "item_id": 2, "rating": 1e999}"#,
            .invalidField(line: 2, field: "rating", reason: "is out of range")
        ),
    ])
    func refusesBadLinesNamingTheLine(text: String, error: RatingsError) {
        var ratings = Ratings()
        #expect(throws: error) {
            try ratings.appendJSONLines(
                Data(("{\"user_id\":1,\"item_id\":1,\"rating\":1}\n" + text + "\n").utf8))
        }
    }

    @Test func refusesTruncatedJSON() {
        for text in [
            #"{"user_id": 1, "item_id": 2, "rating": 3"#, #"{"user_id": "a"#, "{", #"{"user_id" 1}"#,
        ] {
            var ratings = Ratings()
            #expect(throws: RatingsError.self, "\(text)") { try ratings.appendJSONLines(Data(text.utf8)) }
        }
    }

    @Test func csrRowsAreSortedAndComplete() {
        let ratings = RatingsSimulator(users: 30, items: 20, rank: 2, seed: 3).ratings(count: 400)
        let rows = ratings.byUser()
        #expect(rows.entryCount == ratings.count && rows.rowCount == ratings.users.count)
        var seen = 0
        for u in 0..<rows.rowCount {
            let columns = rows.range(of: u).map { rows.columns[$0] }
            #expect(columns == columns.sorted())
            seen += columns.count
        }
        #expect(seen == ratings.count)
        let expected = (0..<ratings.count).filter { ratings.userIndices[$0] == 4 }.map { ratings.values[$0] }
            .sorted()
        #expect(rows.range(of: 4).map { rows.values[$0] }.sorted() == expected)
    }
}
