import EddyML
import Testing

@testable import EddyApps

/// The item catalogue of the recommendations app in each form a user has it.
@Suite struct ItemTitlesTests {
    @Test func jsonLinesCSVAndMovieLensLinesAreRead() throws {
        let json = try ItemTitles(
            text: """
                {"item_id": 50, "title": "Star Wars (1977)"}
                {"item_id": "tt-7", "title": "A \\"quoted\\" title"}
                """)
        #expect(json[.int(50)] == "Star Wars (1977)")
        #expect(json[.string("tt-7")] == "A \"quoted\" title")
        let csv = try ItemTitles(text: "item_id,title\n1,Toy Story (1995)\n2,\"Heat, the film\"\n")
        #expect(csv.count == 2)
        #expect(csv[.int(2)] == "Heat, the film")
        let movieLens = try ItemTitles(text: "1|Toy Story (1995)|01-Jan-1995||http://x|0|0\n")
        #expect(movieLens[.int(1)] == "Toy Story (1995)")
    }

    @Test func aLineThatIsNoItemIsRefusedWithItsNumber() {
        #expect(throws: ItemTitlesError.self) {
            try ItemTitles(text: "1|A\nnot an item\n", path: "titles.txt")
        }
        do {
            _ = try ItemTitles(text: "1|A\nnot an item\n", path: "titles.txt")
        } catch {
            #expect(error.description.hasPrefix("titles.txt:2:"))
        }
        #expect(throws: ItemTitlesError.self) { try ItemTitles(contentsOf: "/nonexistent/u.item") }
    }
}
