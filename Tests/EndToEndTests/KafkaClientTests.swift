import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kafka clients others wrote against `eddy broker`: confluent-kafka (librdkafka), kafka-python, aiokafka
/// and kcat. Needs `.build/venv` with those packages and Debian's kcat, which `scripts/test` installs; in a
/// plain `swift test` without them the suite is skipped with this reason.
@Suite(
    .enabled(
        if: KafkaClients.available,
        "needs .build/venv with kafka-python, confluent-kafka, aiokafka (scripts/test installs them)"),
    .serialized)
struct KafkaClientTests {
    @Test(arguments: ["none", "gzip", "snappy", "lz4", "zstd"])
    func confluentKafkaRoundTripUnderEachCodec(codec: String) throws {
        try KafkaClients.withBroker { eddy, bootstrap in
            let topic = "rt-\(codec)"
            let result = try KafkaClients.python(
                KafkaClientScripts.confluentRoundTrip, [bootstrap, topic, codec, "10000"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.hasPrefix("OK 10000"))
            // Eddy's own reader inflates what the client compressed.
            let consumed = try eddy.run([
                "consume", topic, "--from-beginning", "--max-messages", "10000", "--timeout-ms", "5000",
            ])
            #expect(consumed.status == 0, "\(consumed.stderr)")
            #expect(consumed.stdoutLines.count == 10000)
            #expect(Set(consumed.stdoutLines).count == 10000)
            #expect(consumed.stdoutLines.allSatisfy { $0.hasPrefix("{\"i\": ") })
        }
    }

    @Test func kafkaPythonProducesConsumesAndCommitsIntoEddysGroups() throws {
        try KafkaClients.withBroker { eddy, bootstrap in
            let result = try KafkaClients.python(
                KafkaClientScripts.kafkaPythonRoundTrip, [bootstrap, "kp", "3000", "kp-group"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            // The group's commit is an Eddy group commit: `eddy groups describe` sees all 3000 consumed.
            let described = try eddy.run(["groups", "describe", "kp-group"])
            #expect(described.status == 0, "\(described.stderr)")
            #expect(described.stdout.contains("kp"), "\(described.stdout)")
            // And `eddy consume --group` continues where the Kafka client stopped: nothing left.
            let rest = try eddy.run(["consume", "kp", "--group", "kp-group", "--timeout-ms", "1000"])
            #expect(rest.stdoutLines.isEmpty, "\(rest.stdout)")
        }
    }

    @Test func aiokafkaRoundTrip() throws {
        try KafkaClients.withBroker(autoCreate: true) { _, bootstrap in
            let result = try KafkaClients.python(
                KafkaClientScripts.aiokafkaRoundTrip, [bootstrap, "aio", "2000"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        }
    }

    @Test func aGroupOfThreeSharesSixPartitionsAndTakesOverAfterALeave() throws {
        try KafkaClients.withBroker { eddy, bootstrap in
            _ = try eddy.run(["topics", "create", "shared", "--partitions", "6"])
            let lines = (0..<1200).map { "{\"id\": \"\($0 % 60)\", \"n\": \($0)}" }
            let produced = try eddy.run(["produce", "shared", "--key-field", "id"], lines: lines)
            #expect(produced.status == 0, "\(produced.stderr)")
            let result = try KafkaClients.python(
                KafkaClientScripts.groupTakeover, [bootstrap, "shared", "1200"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            print("group takeover: \(result.stdout)")
        }
    }

    @Test func idempotentProducerThroughCutConnectionsStoresEachRecordOnce() throws {
        let proxyPort = try KafkaClients.freePort()
        try KafkaClients.withBroker(extra: ["--kafka-advertised-port", String(proxyPort)]) {
            eddy, bootstrap in
            _ = try eddy.run(["topics", "create", "idem", "--partitions", "3"])
            let result = try KafkaClients.python(
                KafkaClientScripts.idempotentThroughCuts, [bootstrap, String(proxyPort), "idem", "5000"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            print("idempotent: \(result.stdout)")
            let consumed = try eddy.run(["consume", "idem", "--from-beginning", "--timeout-ms", "2000"])
            #expect(
                consumed.stdoutLines.count == 5000,
                "stored \(consumed.stdoutLines.count) records for 5000 sent")
            #expect(Set(consumed.stdoutLines).count == 5000)
        }
    }

    @Test(.enabled(if: KafkaClients.kcat != nil, "needs Debian's kcat")) func kcatListsMetadata() throws {
        try KafkaClients.withBroker { eddy, bootstrap in
            _ = try eddy.run(["topics", "create", "listed", "--partitions", "6"])
            let result = try KafkaClients.run(KafkaClients.kcat!, ["-b", bootstrap, "-L"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("topic \"listed\" with 6 partitions"), "\(result.stdout)")
            #expect(result.stdout.contains("broker 0 at 127.0.0.1"), "\(result.stdout)")
        }
    }

    @Test func brokerErrorsAreOneLine() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        expectOneLineError(try eddy.run(["broker", "--kafka-port", "70000"]), containing: ["--kafka-port"])
    }
}

/// Starting `eddy broker` on a free port and running client programs against it.
enum KafkaClients {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let python = root.appendingPathComponent(".build/venv/bin/python").path

    static let available: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? run(python, ["-c", "import kafka, confluent_kafka, aiokafka"]).status) == 0
    }()

    static let kcat: String? = ["/usr/bin/kcat", "/usr/local/bin/kcat"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> EddyBinary.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kafka-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out").path
        let err = directory.appendingPathComponent("err").path
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        process.waitUntilExit()
        return EddyBinary.Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: err)), as: UTF8.self))
    }

    static func python(_ script: String, _ arguments: [String]) throws -> EddyBinary.Result {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kafka-\(UUID().uuidString).py"
        ).path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try run(python, [path] + arguments)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs `eddy broker --kafka-port 0` in a fresh data directory, waits for its "listening" line, calls
    /// `body` with the bootstrap address, and stops the broker (also when `body` throws).
    static func withBroker(
        autoCreate: Bool = false, extra: [String] = [], _ body: (EddyBinary, String) throws -> Void
    ) throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        var arguments = ["broker", "--kafka-port", "0"] + extra
        if autoCreate { arguments.append("--kafka-auto-create") }
        let (process, stdin, stdout) = try eddy.start(arguments)
        defer {
            if process.isRunning {
                process.interrupt()
                process.waitUntilExit()
            }
            try? stdin.close()
        }
        let announced = firstLine(of: stdout)
        guard let range = announced.range(of: #"listening on [0-9.]+:[0-9]+"#, options: .regularExpression)
        else {
            Issue.record("eddy broker did not announce its address: \(announced)")
            return
        }
        let address = String(announced[range].dropFirst("listening on ".count))
        try body(eddy, address)
    }
}
