import EddyApps
import EddyLog
import Foundation
import Testing

@Suite struct SalesSimulatorTests {
    func orders(seed: UInt64?, count: Int) -> [[UInt8]] {
        var simulator = SalesSimulator(seed: seed)
        return (0..<count).map { _ in simulator.next().value }
    }

    /// An amount in the JSON text as integer cents, read from its digits (no binary floating point).
    func cents(_ number: Any?) throws -> Int {
        let value = try #require(number as? NSNumber)
        let text = "\(value)"
        let parts = text.split(separator: ".")
        let whole = try #require(Int(parts[0]))
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        #expect(fraction.count <= 2, "\(text) has more than two decimals")
        let padded = (fraction + "00").prefix(2)
        return whole * 100 + (try #require(Int(padded)))
    }

    @Test func sameSeedGivesSameBytes() {
        #expect(orders(seed: 42, count: 300) == orders(seed: 42, count: 300))
        #expect(orders(seed: 42, count: 30) != orders(seed: 1, count: 30))
    }

    @Test func ordersFollowTheSeedShapeAndTotalsAreExact() throws {
        let uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/
        let documentPattern = /[0-9]{11}/
        let timestampPattern = /[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z/
        let prices = Dictionary(
            uniqueKeysWithValues: ProductCatalogue.standard.products.map { ($0.name, $0.priceCents) })
        var orderIDs = Set<String>()
        var productsSeen = Set<String>()
        for line in orders(seed: 2024, count: 3000) {
            let order = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            #expect(
                Set(order.keys) == [
                    "order_id", "client_document", "products", "total_value", "sale_datetime",
                ])
            let id = try #require(order["order_id"] as? String)
            #expect(id.wholeMatch(of: uuidPattern) != nil)
            #expect(orderIDs.insert(id).inserted)
            let document = try #require(order["client_document"] as? String)
            #expect(document.wholeMatch(of: documentPattern) != nil)
            #expect(Self.isValidCPF(document))
            let timestamp = try #require(order["sale_datetime"] as? String)
            #expect(timestamp.wholeMatch(of: timestampPattern) != nil)
            let products = try #require(order["products"] as? [[String: Any]])
            #expect((1...5).contains(products.count))
            var total = 0
            var names = Set<String>()
            for item in products {
                let name = try #require(item["product_name"] as? String)
                #expect(names.insert(name).inserted, "a product appears twice in one order")
                let quantity = try #require(item["quantity"] as? Int)
                #expect((1...5).contains(quantity))
                let price = try cents(item["price"])
                #expect(prices[name] == price)
                total += quantity * price
            }
            productsSeen.formUnion(names)
            #expect(try cents(order["total_value"]) == total)
        }
        #expect(productsSeen.count == ProductCatalogue.standard.products.count)
    }

    @Test func totalsAreWrittenWithTwoDecimals() {
        for line in orders(seed: 8, count: 200) {
            let text = String(decoding: line, as: UTF8.self)
            #expect(text.contains(/"total_value": [0-9]+\.[0-9]{2},/))
        }
    }

    @Test func catalogueNamesNeedNoEscapingAndPricesArePositive() {
        let catalogue = ProductCatalogue.standard
        #expect(catalogue.products.count >= 30)
        #expect(Set(catalogue.products.map(\.name)).count == catalogue.products.count)
        for product in catalogue.products {
            #expect(product.priceCents > 0)
            #expect(!product.name.contains("\"") && !product.name.contains("\\"))
            #expect(product.name.unicodeScalars.allSatisfy { $0.value >= 0x20 })
        }
    }

    static func isValidCPF(_ document: String) -> Bool {
        let digits = document.compactMap { $0.wholeNumberValue }
        guard digits.count == 11 else { return false }
        for length in [9, 10] {
            let sum = digits.prefix(length).enumerated().reduce(0) {
                $0 + $1.element * (length + 1 - $1.offset)
            }
            let check = sum % 11 < 2 ? 0 : 11 - sum % 11
            if digits[length] != check { return false }
        }
        return true
    }
}
