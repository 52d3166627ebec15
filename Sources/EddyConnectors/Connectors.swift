// SQLite, PostgreSQL and file sinks live here, one per file (SQLiteSink.swift, PostgresSink.swift, …).
import EddyStream
