import CSQLite

/// An error reported by SQLite, with its result code, SQLite's own message, and what Eddy was doing.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// SQLite's extended result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_PRIMARYKEY`, …).
    public var code: Int32
    /// `sqlite3_errmsg` at the time of the failure.
    public var message: String
    /// What was being done: the statement, or the file being opened.
    public var context: String
    /// The database file, so a full disk or a read-only directory says where.
    public var database: String?

    public init(code: Int32, message: String, context: String, database: String? = nil) {
        self.code = code
        self.message = message
        self.context = context
        self.database = database
    }

    public var description: String {
        let place = database.map { " in \($0)" } ?? ""
        var text =
            "SQLite error \(code) (\(String(cString: sqlite3_errstr(code))))\(place): \(message) — while \(context)"
        if code & 0xff == SQLITE_BUSY {
            text += "; another process holds the database locked, retry or stop it"
        } else if code & 0xff == SQLITE_FULL {
            // The CLI's one line for a full disk says ENOSPC whichever file hit it first.
            text +=
                "; the disk is full (ENOSPC): free space there and run again, the sink resumes from its last commit"
        } else if code & 0xff == SQLITE_CANTOPEN {
            text += "; check that the directory exists and is writable"
        }
        return text
    }
}

/// A thin, safe wrapper over one SQLite database connection (the C API, no ORM).
///
/// Not thread-safe by itself: own it from one actor or one task (``SQLiteSink`` does).
///
/// ```swift
/// let db = try SQLiteConnection(path: "sales.sqlite")
/// try db.execute("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v INTEGER)")
/// let insert = try db.prepare("INSERT INTO t VALUES (?, ?)")
/// try insert.bind(1, text: "a"); try insert.bind(2, int: 1)
/// _ = try insert.step()
/// ```
public final class SQLiteConnection {
    let handle: OpaquePointer
    public let path: String

    /// Opens (creating when absent) the database at `path`. `":memory:"` opens a private in-memory database.
    public init(path: String) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: message, context: "opening '\(path)'")
        }
        sqlite3_extended_result_codes(db, 1)
        self.handle = db
        self.path = path
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows of interest (DDL, PRAGMA, BEGIN/COMMIT).
    public func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message, context: "executing \(sql)", database: path)
        }
    }

    /// Compiles one statement, to be bound and stepped as often as needed.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw SQLiteError(
                code: rc, message: lastErrorMessage, context: "preparing \(sql)", database: path)
        }
        return SQLiteStatement(statement: statement, connection: self, sql: sql)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`; rolls back when it throws.
    ///
    /// `IMMEDIATE` takes the write lock up front, so a concurrent writer fails at `BEGIN` (after the busy
    /// timeout) instead of half-way through the batch.
    public func transaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // The rollback's own failure (e.g. no transaction left after a fatal error) hides nothing useful.
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }
}

/// A prepared statement of a ``SQLiteConnection``. Parameters are numbered from 1, columns from 0, as in
/// SQLite's C API.
public final class SQLiteStatement {
    let statement: OpaquePointer
    // Keeps the connection open while the statement lives (SQLite requires statements to be finalized first).
    let connection: SQLiteConnection
    public let sql: String

    init(statement: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.statement = statement
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// SQLite copies bound text immediately, so callers' buffers need not outlive the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func check(_ rc: Int32, _ what: @autoclosure () -> String) throws(SQLiteError) {
        if rc != SQLITE_OK {
            throw SQLiteError(
                code: rc, message: connection.lastErrorMessage, context: "\(what()) of \(sql)",
                database: connection.path)
        }
    }

    public func bindNull(_ index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_null(statement, index), "binding NULL to parameter \(index)")
    }

    public func bind(_ index: Int32, int value: Int64) throws(SQLiteError) {
        try check(sqlite3_bind_int64(statement, index, value), "binding parameter \(index)")
    }

    public func bind(_ index: Int32, double value: Double) throws(SQLiteError) {
        try check(sqlite3_bind_double(statement, index, value), "binding parameter \(index)")
    }

    public func bind(_ index: Int32, text value: String) throws(SQLiteError) {
        var value = value
        let rc = value.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else {
                    return sqlite3_bind_text(statement, index, "", 0, Self.transient)
                }
                return sqlite3_bind_text64(
                    statement, index, base, UInt64(chars.count), Self.transient, UInt8(SQLITE_UTF8))
            }
        }
        try check(rc, "binding parameter \(index)")
    }

    /// Advances the statement: true while a row is available, false when done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc:
            throw SQLiteError(
                code: rc, message: connection.lastErrorMessage, context: "running \(sql)",
                database: connection.path)
        }
    }

    /// Makes the statement ready to run again with new bindings.
    public func reset() {
        // sqlite3_reset repeats the last step's error, which step() already reported.
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    public func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    public func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    public func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}
