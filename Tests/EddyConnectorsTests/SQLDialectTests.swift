import EddyConnectors
import EddyStream
import Testing

@Suite("SQL generation")
struct SQLDialectTests {
    @Test func quotingDoublesInnerQuotes() {
        #expect(SQLDialect.sqlite.quote("plain") == "\"plain\"")
        #expect(SQLDialect.postgres.quote("a\"b") == "\"a\"\"b\"")
        #expect(SQLDialect.postgres.quote("x\"; DROP TABLE y; --") == "\"x\"\"; DROP TABLE y; --\"")
    }

    @Test func rejectsUnusableIdentifiers() {
        #expect(throws: SQLSinkError.self) { try SQLDialect.sqlite.validate(identifier: "", kind: "table") }
        #expect(throws: SQLSinkError.self) {
            try SQLDialect.sqlite.validate(identifier: "a\u{0}b", kind: "column")
        }
        let long = String(repeating: "x", count: 64)
        #expect(throws: SQLSinkError.self) {
            try SQLDialect.postgres.validate(identifier: long, kind: "table")
        }
        #expect(throws: Never.self) { try SQLDialect.sqlite.validate(identifier: long, kind: "table") }
    }

    @Test func mapsColumnTypes() {
        #expect(SQLDialect.postgres.columnType(.decimal(scale: 2)) == "numeric")
        #expect(SQLDialect.sqlite.columnType(.decimal(scale: 2)) == "TEXT")
        #expect(SQLDialect.postgres.columnType(.timestamp) == "timestamptz")
        #expect(SQLDialect.postgres.columnType(.int) == "bigint")
        #expect(SQLDialect.sqlite.columnType(.double) == "REAL")
    }

    @Test func generatesCreateAndUpsert() throws {
        let table = try SQLTableDefinition(
            name: "product_sales",
            columns: [
                Column("product_name", .string), Column("total_sales", .decimal(scale: 2)),
                Column("units", .int),
            ],
            keyColumns: [0], dialect: .postgres)
        #expect(
            table.createStatement()
                == "CREATE TABLE IF NOT EXISTS \"product_sales\" (\"product_name\" text, \"total_sales\" numeric, "
                + "\"units\" bigint, PRIMARY KEY (\"product_name\"))")
        #expect(
            table.insertStatement(rows: 2, upsert: true)
                == "INSERT INTO \"product_sales\" (\"product_name\", \"total_sales\", \"units\") VALUES "
                + "($1, $2::numeric, $3), ($4, $5::numeric, $6) ON CONFLICT (\"product_name\") DO UPDATE SET "
                + "\"total_sales\" = excluded.\"total_sales\", \"units\" = excluded.\"units\"")
        #expect(table.insertStatement(rows: 1, upsert: false).hasSuffix("VALUES ($1, $2::numeric, $3)"))
    }

    @Test func keyOnlyTableUpsertDoesNothingOnConflict() throws {
        let table = try SQLTableDefinition(
            name: "seen", columns: [Column("id", .string)], keyColumns: [0], dialect: .sqlite)
        #expect(
            table.insertStatement(rows: 1, upsert: true)
                == "INSERT INTO \"seen\" (\"id\") VALUES (?1) ON CONFLICT (\"id\") DO NOTHING")
    }

    @Test func outputModesChooseTheWrite() throws {
        let keyed = try SQLTableDefinition(
            name: "t", columns: [Column("k", .string)], keyColumns: [0], dialect: .sqlite)
        let keyless = try SQLTableDefinition(
            name: "t", columns: [Column("k", .string)], keyColumns: [], dialect: .sqlite)
        #expect(keyed.plan(for: .update) == SQLWritePlan(replaceAll: false, upsert: true))
        #expect(keyed.plan(for: .complete) == SQLWritePlan(replaceAll: false, upsert: true))
        #expect(keyed.plan(for: .append) == SQLWritePlan(replaceAll: false, upsert: false))
        #expect(keyless.plan(for: .complete) == SQLWritePlan(replaceAll: true, upsert: false))
        #expect(keyless.plan(for: .update) == SQLWritePlan(replaceAll: false, upsert: false))
    }

    @Test func rejectsBadKeysAndRows() throws {
        #expect(throws: SQLSinkError.keyColumnOutOfRange(table: "t", index: 3, columnCount: 1)) {
            try SQLTableDefinition(
                name: "t", columns: [Column("k", .string)], keyColumns: [3], dialect: .sqlite)
        }
        let table = try SQLTableDefinition(
            name: "t", columns: [Column("k", .string)], keyColumns: [0], dialect: .sqlite)
        #expect(throws: SQLSinkError.rowWidthMismatch(table: "t", expected: 1, got: 2)) {
            try table.rowsToWrite([[.string("a"), .int(1)]], upsert: true)
        }
    }
}
