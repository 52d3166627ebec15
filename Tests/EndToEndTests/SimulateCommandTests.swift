import Foundation
import Testing

@Suite struct SimulateCommandTests {
    @Test func motionIsDeterministicWithASeedAndFollowsTheSchema() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let first = try eddy.run(["simulate", "motion", "500", "--seed", "42"])
        let second = try eddy.run(["simulate", "motion", "500", "--seed", "42"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        #expect(first.stdoutLines.count == 500)
        #expect(try eddy.run(["simulate", "motion", "500", "--seed", "43"]).stdout != first.stdout)

        let locations: Set = [
            "Entrada", "Corredor_A", "Corredor_B", "Caixa", "Sessao_de_Roupas", "Sessao_de_Eletronicos",
        ]
        var previous = ""
        for line in first.stdoutLines {
            let reading = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let timestamp = try #require(reading["timestamp"] as? String)
            #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z/) != nil)
            #expect(timestamp > previous)
            previous = timestamp
            #expect((reading["id_sensor"] as? String)?.wholeMatch(of: /SM-\d{3}[A-Z]{2}/) != nil)
            #expect(locations.contains(try #require(reading["location"] as? String)))
            #expect((reading["customer_id"] as? String)?.wholeMatch(of: /Cliente_\d{4}/) != nil)
            #expect(reading["movement_detected"] as? Bool == true)
            #expect((1.0...300.0).contains(try #require(reading["duration"] as? Double)))
            #expect((1...10).contains(try #require(reading["traffic_count"] as? Int)))
        }

        let withNulls = try eddy.run(["simulate", "motion", "400", "--seed", "1", "--null-rate", "0.25"])
        #expect(withNulls.stdoutLines.filter { $0.contains("\"duration\": null") }.count > 40)
    }

    @Test func salesTotalsAreExactToTheCent() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let first = try eddy.run(["simulate", "sales", "300", "--seed", "7"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == (try eddy.run(["simulate", "sales", "300", "--seed", "7"])).stdout)
        for line in first.stdoutLines {
            let order = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(
                (order["order_id"] as? String)?.wholeMatch(
                    of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
            #expect((order["client_document"] as? String)?.wholeMatch(of: /\d{11}/) != nil)
            #expect(
                (order["sale_datetime"] as? String)?.wholeMatch(
                    of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z/) != nil)
            let products = try #require(order["products"] as? [[String: Any]])
            #expect((1...5).contains(products.count))
            var totalCents = 0
            for item in products {
                #expect(!(try #require(item["product_name"] as? String)).isEmpty)
                let quantity = try #require(item["quantity"] as? Int)
                #expect((1...5).contains(quantity))
                totalCents += quantity * Int((try #require(item["price"] as? Double) * 100).rounded())
            }
            let total = try #require(order["total_value"] as? Double)
            #expect(Int((total * 100).rounded()) == totalCents)
            #expect(line.contains(/"total_value": \d+\.\d{2},/))
        }
    }

    @Test func simulateToTopicAppendsTheSameRecords() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let printed = try eddy.run(["simulate", "sales", "250", "--seed", "3"])
        let appended = try eddy.run(["simulate", "sales", "250", "--seed", "3", "--to", "ecommerce_sales"])
        #expect(appended.status == 0, "\(appended.stderr)")
        #expect(appended.stdout.isEmpty)
        let consumed = try eddy.run([
            "consume", "ecommerce_sales", "--from-beginning", "--max-messages", "250",
        ])
        #expect(consumed.stdoutLines == printed.stdoutLines)

        let paced = try eddy.run([
            "simulate", "motion", "20", "--rate", "400", "--seed", "2", "--to", "motion", "--partitions", "2",
        ])
        #expect(paced.status == 0, "\(paced.stderr)")
        let described = try eddy.run(["topics", "describe", "motion"])
        #expect(described.stdout.contains("Partitions: 2"))
        #expect(described.stdout.contains("Records: 20\t"))
    }
}
