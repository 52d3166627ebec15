import ArgumentParser
import EddyApps
import EddyLog
import EddyServer
import EddyStream
import Foundation
import ServiceLifecycle

/// `eddy demo`: everything at once on the embedded log — topics, simulators at a steady rate, the seed
/// pipelines, the API and the dashboard.
///
/// ```text
/// eddy demo                                        # http://127.0.0.1:8080/
/// eddy demo --motion-rate 2000 --sales-rate 200 --port 9000
/// ```
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Simulate store sensors and sales, run the seed pipelines and serve the dashboard, in one command.",
        discussion: """
            Creates the topics when missing, appends simulated readings and orders at a steady rate (a small \
            share malformed, to show the dead-letter queue), runs the pipelines and serves the API and the \
            dashboard. Ctrl-C checkpoints and stops; running it again continues where it stopped (--reset \
            starts the pipelines over).
            """)

    @OptionGroup var dataDir: DataDirOptions

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "Motion-sensor readings appended per second.")
    var motionRate: Double = 1000

    @Option(help: "Sales orders appended per second.")
    var salesRate: Double = 100

    @Option(
        help: "Share of simulated records that are malformed (0 to 1), which land in the dead-letter topic.")
    var badRate: Double = 0.001

    @Flag(help: "Delete the pipelines' checkpoints first and start from the beginning of their topics.")
    var reset = false

    func run() async throws {
        guard motionRate >= 0, salesRate >= 0 else {
            throw CLIError.invalidArgument("--motion-rate and --sales-rate must not be negative")
        }
        guard (0...1).contains(badRate) else {
            throw CLIError.invalidArgument("--bad-rate must be between 0 and 1 (got \(badRate))")
        }
        try ServeCommand.checkPort(host: host, port: port)
        let log = try dataDir.openLog(flush: .default)
        for pipeline in SeedPipeline.allCases {
            try Self.ensureTopic(pipeline.topic.name, partitions: pipeline.topic.partitions, in: log)
        }

        var services: [any Service] = []
        var handles: [any PipelineHandle] = []
        for pipeline in SeedPipeline.allCases {
            let launched = try pipeline.launch(log: log, dataDirectory: dataDir.path, reset: reset)
            services.append(launched.service)
            handles.append(launched.handle)
        }
        if motionRate > 0 {
            services.append(
                SimulatorService(
                    simulator: MotionSimulator(seed: nil, nullRate: 0.01, clock: .wall), rate: motionRate,
                    badRate: badRate, log: log, topic: "motion"))
        }
        if salesRate > 0 {
            services.append(
                SimulatorService(
                    simulator: SalesSimulator(seed: nil, clock: .wall), rate: salesRate, badRate: badRate,
                    log: log,
                    topic: SalesPipeline.defaultTopic))
        }
        let server = EddyServer(pipelines: handles, log: log)
        let host = self.host
        let rates = "\(Int(motionRate)) readings/s, \(Int(salesRate)) orders/s"
        try await ServeCommand.serve(server, host: host, port: port, services: services) { port in
            announce(
                "Eddy demo: dashboard at http://\(host):\(port)/ (\(rates)); Ctrl-C checkpoints and stops.")
        }
        print("Eddy demo stopped; pipelines checkpointed. Run eddy demo again to continue.")
    }

    static func ensureTopic(_ name: String, partitions: Int, in log: FileLog) throws {
        do {
            try log.createTopic(name, config: TopicConfig(partitions: partitions))
        } catch .topicAlreadyExists {
            return
        }
    }
}

/// Appends simulated records at a steady rate until graceful shutdown; a share of them deliberately broken
/// (truncated JSON), so the dead-letter queue has something to show.
struct SimulatorService<S: Simulator>: Service {
    let simulator: S
    let rate: Double
    let badRate: Double
    let log: any Log
    let topic: String

    func run() async throws {
        let (log, topic, badRate, rate) = (self.log, self.topic, self.badRate, self.rate)
        _ = try await cancelWhenGracefulShutdown { [simulator] in
            var simulator = simulator
            var owed = 0.0
            return try await simulator.run(count: nil, rate: rate, batchSize: 500) { batch in
                var records = batch
                owed += Double(batch.count) * badRate
                while owed >= 1, let sample = batch.randomElement() {
                    owed -= 1
                    records.append(
                        ProducerRecord(
                            key: sample.key, value: Array(sample.value.prefix(sample.value.count / 2))))
                }
                try log.append(records, to: topic)
            }
        }
    }
}
