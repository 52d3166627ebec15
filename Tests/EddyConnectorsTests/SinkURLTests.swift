import EddyConnectors
import Testing

@Suite("--sink URLs")
struct SinkURLTests {
    @Test func parsesSQLitePaths() throws {
        #expect(try SinkURL(parsing: "sqlite:data/sales.sqlite") == .sqlite(path: "data/sales.sqlite"))
        #expect(try SinkURL(parsing: "sqlite:/tmp/x.db") == .sqlite(path: "/tmp/x.db"))
        #expect(try SinkURL(parsing: "sqlite:///tmp/x.db") == .sqlite(path: "/tmp/x.db"))
        #expect(throws: SinkURLError.missingPath("sqlite:")) { try SinkURL(parsing: "sqlite:") }
    }

    @Test func parsesPostgresURLs() throws {
        let url = try SinkURL(parsing: "postgres://eddy:s%40cret@db.local:5433/shop")
        #expect(
            url
                == .postgres(
                    PostgresEndpoint(
                        user: "eddy", password: "s@cret", host: "db.local", port: 5433, database: "shop")))
        #expect(
            try SinkURL(parsing: "postgresql://postgres@127.0.0.1/eddy_test?sslmode=disable")
                == .postgres(
                    PostgresEndpoint(user: "postgres", host: "127.0.0.1", port: 5432, database: "eddy_test")))
        #expect(
            try SinkURL(parsing: "postgres://u@[::1]:6000/d")
                == .postgres(PostgresEndpoint(user: "u", host: "::1", port: 6000, database: "d")))
    }

    @Test func neverShowsThePassword() throws {
        let url = try SinkURL(parsing: "postgres://eddy:hunter2@localhost:5432/shop")
        #expect(url.description == "postgres://eddy:***@localhost:5432/shop")
        let error = #expect(throws: SinkURLError.self) {
            try SinkURL(parsing: "postgres://eddy:hunter2@localhost:99999/shop")
        }
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.description.contains("99999") == true)
        let unknown = #expect(throws: SinkURLError.self) {
            try SinkURL(parsing: "mysql://eddy:hunter2@localhost/shop")
        }
        #expect(unknown?.description.contains("hunter2") == false)
    }

    @Test func explainsWhatIsMissing() {
        #expect(throws: SinkURLError.missingDatabase("postgres://u@h:1")) {
            try SinkURL(parsing: "postgres://u@h:1")
        }
        #expect(throws: SinkURLError.missingDatabase("postgres://u@h:1/")) {
            try SinkURL(parsing: "postgres://u@h:1/")
        }
        #expect(throws: SinkURLError.missingUser("postgres://h:1/db")) {
            try SinkURL(parsing: "postgres://h:1/db")
        }
        #expect(throws: SinkURLError.invalidPort("x", url: "postgres://u@h:x/db")) {
            try SinkURL(parsing: "postgres://u@h:x/db")
        }
        #expect(
            throws: SinkURLError.unsupportedOption(
                "sslmode=require", url: "postgres://u@h/db?sslmode=require")
        ) {
            try SinkURL(parsing: "postgres://u@h/db?sslmode=require")
        }
        #expect(throws: SinkURLError.self) { try SinkURL(parsing: "data.sqlite") }
        #expect(throws: SinkURLError.invalidPercentEncoding(url: "postgres://u:***@h/db")) {
            try SinkURL(parsing: "postgres://u:%zz@h/db")
        }
    }
}
