import Testing

@testable import EddyServer

@Suite struct QueryParametersTests {
    @Test func readsPairsInOrderAndTheFirstOfARepeatedName() {
        let query = QueryParameters(query: "orderBy=score&desc&limit=10&limit=20&empty=")
        #expect(query.string("orderBy") == "score")
        #expect(query.string("desc") == "")
        #expect(query.string("limit") == "10")
        #expect(query.string("empty") == "")
        #expect(query.string("missing") == nil)
        #expect(query.string("order") == nil)
    }

    @Test func decodesPercentEscapesAndKeepsInvalidOnesAsSent() {
        let query = QueryParameters(query: "key=caf%C3%A9%2Cb&raw=50%&plus=a+b&eq=a=b")
        #expect(query.string("key") == "café,b")
        #expect(query.string("raw") == "50%")
        #expect(query.string("plus") == "a+b")
        #expect(query.string("eq") == "a=b")
    }

    @Test func emptyQueriesAndStraySeparatorsHaveNoParameters() throws {
        #expect(QueryParameters(query: "").string("a") == nil)
        let query = QueryParameters(query: "&&a=1&&")
        #expect(query.string("a") == "1")
        #expect(try query.integer("a", in: 1...5, default: nil) == 1)
        #expect(throws: APIError.self) { try query.integer("a", in: 2...5, default: nil) }
    }
}
