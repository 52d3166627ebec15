import EddyFormats
import EddyLog
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Seed 004 end to end: `eddy serve` running api-to-parquet against a local HTTP server (two pages linked
/// by `next`) and normalize-files, killed with SIGKILL again and again mid-stream. At the end every file
/// reference on topic `files` names exactly one raw file, each raw file has exactly one reference, and each
/// reference has exactly one normalised Parquet and one CSV file, with the normalised content.
@Suite(.serialized) struct FilesSeedTests {
    static let page1 = """
        {"items": [
          {"id": 1, "userName": "  Ana  ", "createdAt": "2024-05-01T10:00:00Z", "score": 7.0, "address": {"city": "Recife", "zipCode": "50000"}},
          {"id": 2, "userName": "Bruno", "createdAt": "2024-05-02T11:30:00.250Z", "score": 8.0, "address": {"city": "Natal", "zipCode": "59000"}},
          {"id": 1, "userName": "Ana again", "createdAt": "2024-05-03T00:00:00Z", "score": 9.0, "address": {"city": "Olinda", "zipCode": "53000"}},
          {"id": 3, "userName": "Caio, \\"C\\"", "createdAt": "2024-05-04T00:00:00Z", "score": 10.0, "address": null}
        ], "next": "page2.json"}
        """
    static let page2 = """
        {"items": [
          {"id": 4, "userName": "Dora", "createdAt": "2024-05-05T00:00:00Z", "score": 300.0, "address": {"city": "Lima", "zipCode": "15001"}},
          {"id": 5, "userName": "Eva", "createdAt": "2024-05-06T00:00:00Z", "score": 1.0, "address": {"city": "Quito", "zipCode": "17001"}}
        ]}
        """

    /// `python3 -m http.server` on a free port over `folder`; returns the process and the port.
    static func startHTTPServer(_ folder: String) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", folder,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("port ") || !text.contains(")") {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        let port = text.split(separator: " ").drop { $0 != "port" }.dropFirst().first.flatMap { Int($0) }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(
                .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "http.server said: \(text)"])
        }
        return (process, port)
    }

    func startServe(_ eddy: EddyBinary, config: String, log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: EddyBinary.path)
        process.arguments = [
            "serve", "--config", config, "--port", "0", "--no-kafka", "--data-dir", eddy.dataDir,
        ]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        return process
    }

    static func references(_ dataDir: String) throws -> [String] {
        let log = try FileLog(directory: dataDir)
        defer { log.close() }
        let tp = TopicPartition("files", 0)
        let end = try log.offsets(of: tp).end
        var next = try log.offsets(of: tp).start
        var paths: [String] = []
        while next < end {
            let fetched = try log.read(tp, from: next, maxBytes: 1 << 20)
            if fetched.isEmpty { break }
            fetched.forEach { record in
                let object =
                    try? JSONSerialization.jsonObject(with: Data(Array(record.value))) as? [String: Any]
                paths.append(object?["path"] as? String ?? "<not a reference>")
            }
            next = fetched.nextOffset
        }
        return paths
    }

    func visible(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            !$0.hasPrefix(".") && !$0.hasPrefix("_")
        }.sorted()
    }

    @Test func everyReferenceIsNormalisedExactlyOnceAcrossSigkill() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let site = eddy.workDirectory + "/site"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try Self.page1.write(toFile: site + "/page1.json", atomically: true, encoding: .utf8)
        try Self.page2.write(toFile: site + "/page2.json", atomically: true, encoding: .utf8)
        let (http, port) = try Self.startHTTPServer(site)
        defer {
            if http.isRunning {
                kill(http.processIdentifier, SIGKILL)
                http.waitUntilExit()
            }
        }
        let output = eddy.workDirectory + "/output"
        let config = eddy.workDirectory + "/serve.json"
        try """
        {"pipelines": [
          {"kind": "api-to-parquet", "url": "http://127.0.0.1:\(port)/page1.json", "every": "200ms", "recordsAt": "/items", "output": "\(output)"},
          {"kind": "normalize-files", "output": "\(output)", "key": "id"}
        ]}
        """.write(toFile: config, atomically: true, encoding: .utf8)

        var seed: UInt64 = 11
        var counts: [Int] = []
        for round in 0..<8 {
            let process = try startServe(
                eddy, config: config, log: eddy.workDirectory + "/serve-\(round).err")
            seed = seed &* 6_364_136_223_846_793_005 &+ 1
            usleep(useconds_t(600_000 + (seed >> 33) % 900_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "eddy serve exited by itself")
            counts.append(visible(output + "/normalized").count)
        }
        // The API goes away; a last run publishes any file a kill left unpublished, fails its polls (retried,
        // never written) and normalises what is left. Then the folders are compared.
        // SIGKILL: a child of the test runner may have inherited a blocked SIGTERM.
        kill(http.processIdentifier, SIGKILL)
        http.waitUntilExit()
        let last = try startServe(eddy, config: config, log: eddy.workDirectory + "/serve-last.err")
        var settled = false
        for _ in 0..<150 where !settled {
            usleep(200_000)
            let raw = visible(output + "/raw").count
            settled = raw > 0 && visible(output + "/normalized").count == 2 * raw
        }
        usleep(500_000)
        kill(last.processIdentifier, SIGKILL)
        last.waitUntilExit()
        let errors =
            (try? String(contentsOfFile: eddy.workDirectory + "/serve-last.err", encoding: .utf8)) ?? ""
        #expect(settled, "the last run did not catch up: \(errors)")
        #expect(counts.last ?? 0 > 0, "nothing normalised while being killed: \(counts)")

        let references = try Self.references(eddy.dataDir)
        let raw = visible(output + "/raw")
        #expect(raw.count >= 8, "raw files: \(raw.count)")
        #expect(Set(references).count == references.count, "a reference published twice")
        #expect(
            references.map { ($0 as NSString).lastPathComponent }.sorted() == raw, "references vs raw files")
        let normalized = visible(output + "/normalized")
        let expected = raw.flatMap { name in
            let base = name.replacingOccurrences(of: ".parquet", with: "")
            return [base + ".csv", base + ".parquet"]
        }.sorted()
        #expect(normalized == expected, "normalised files vs raw files")
        // Half-written files exist only as hidden `.name.tmp` (visible() lists everything else).
        #expect(raw.allSatisfy { $0.hasSuffix(".parquet") }, "raw: \(raw)")

        // One page's normalised content: flattened, snake_case, trimmed, typed, deduplicated by id.
        for name in normalized where name.hasSuffix(".parquet") {
            let table = try ParquetReader(path: output + "/normalized/" + name).read()
            let names = table.fields.map(\.name)
            if table.rowCount == 3 {
                #expect(
                    names == ["id", "user_name", "created_at", "score", "address_city", "address_zip_code"])
                #expect(table.fields[0].type == .int(bits: 8, signed: true))
                #expect(table.fields[2].type == .timestamp(.micros, utc: true))
                #expect(table.fields[3].type == .int(bits: 8, signed: true))
                #expect(table.text(row: 0, column: 1).map { String(decoding: $0, as: UTF8.self) } == "Ana")
                #expect(table.text(row: 2, column: 4) == nil)
            } else {
                #expect(table.rowCount == 2, "\(name): \(table.rowCount) rows")
                #expect(table.fields[3].type == .int(bits: 16, signed: true))
            }
        }
        let csvName = try #require(normalized.first { $0.hasSuffix(".csv") })
        let csv = try String(contentsOfFile: output + "/normalized/" + csvName, encoding: .utf8)
        #expect(csv.hasPrefix("id,user_name,created_at,score,address_city,address_zip_code\r\n"))
    }
}
