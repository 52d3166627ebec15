import EddyApps
import EddyLog
import EddySQL
import EddyStream
import Foundation
import Testing

/// examples/sql/retail.sql and sales.sql against the Swift pipelines of seeds 002 and 003: on the same input,
/// the same tables, row for row.
@Suite struct SQLSeedJobTests {
    static func script(_ file: String) throws -> SQLScript {
        let path = SQLTestSupport.packageRoot.appendingPathComponent("examples/sql/\(file)").path
        return try SQLScript.plan(try String(contentsOfFile: path, encoding: .utf8), catalog: SQLCatalog())
    }

    /// Runs a script's pipelines over `log` into live tables named after its outputs.
    static func run(_ script: SQLScript, log: MemoryLog) async throws -> [String: LiveTable] {
        var tables: [String: LiveTable] = [:]
        let pipelines = script.pipelines(named: "sql") { output in
            let table = LiveTable(output.query.table)
            tables[output.query.table] = table
            return table
        }
        for pipeline in pipelines { try await SQLTestSupport.runOnce(pipeline, log: log) }
        return tables
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func retailSQLEqualsTheSwiftPipeline(seed: UInt64) async throws {
        let records = SQLTestSupport.motion(1500, seed: seed)
        let swiftLog = try SQLTestSupport.log(topic: "motion", records: records, partitions: 3)
        let retail = RetailPipeline()
        try await SQLTestSupport.runOnce(retail.pipeline(display: nil, to: nil).workers(1), log: swiftLog)

        let sqlLog = try SQLTestSupport.log(topic: "motion", records: records, partitions: 3)
        let tables = try await Self.run(try Self.script("retail.sql"), log: sqlLog)
        #expect(tables.keys.sorted() == ["areas", "customers", "top", "windows"])
        for expected in retail.liveTables {
            let actual = try #require(tables[expected.name])
            #expect(actual.columns == expected.columns, "\(expected.name)")
            #expect(actual.rowCount > 0, "\(expected.name)")
            #expect(
                SQLTestSupport.sorted(actual.rows) == SQLTestSupport.sorted(expected.rows), "\(expected.name)"
            )
        }
        #expect(tables["top"]?.rowCount == 3)
    }

    @Test(arguments: [UInt64(1), 2])
    func salesSQLEqualsTheSwiftPipeline(seed: UInt64) async throws {
        let records = SQLTestSupport.orders(800, seed: seed)
        let swiftLog = try SQLTestSupport.log(
            topic: SalesPipeline.defaultTopic, records: records, partitions: 2)
        let expected = LiveTable("product_sales")
        try await SQLTestSupport.runOnce(SalesPipeline().pipeline(to: expected), log: swiftLog)

        let sqlLog = try SQLTestSupport.log(
            topic: SalesPipeline.defaultTopic, records: records, partitions: 2)
        let tables = try await Self.run(try Self.script("sales.sql"), log: sqlLog)
        let actual = try #require(tables["product_sales"])
        #expect(actual.columns == expected.columns)
        #expect(actual.rowCount == 6)
        #expect(SQLTestSupport.sorted(actual.rows) == SQLTestSupport.sorted(expected.rows))
        // Exact money: the totals are decimals with two fraction digits.
        #expect(actual.columns.first { $0.name == "total_sales" }?.type == .decimal(scale: 2))
    }
}
