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
/// eddy demo --rate motion=2000 --rate ecommerce_sales=200 --port 9000
/// ```
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Simulate every app's input, run every app's pipelines and serve the dashboard, in one command.",
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

    @Option(
        name: .customLong("rate"),
        help: ArgumentHelp(
            "Records per second for one topic's simulator, as TOPIC=RATE (repeatable; 0 turns it off). Defaults: \(DemoCommand.defaultRates).",
            valueName: "topic=rate"))
    var rates: [String] = []

    @Option(
        help: "Share of simulated records that are malformed (0 to 1), which land in the dead-letter topic.")
    var badRate: Double = 0.001

    @Flag(help: "Delete the pipelines' checkpoints first and start from the beginning of their topics.")
    var reset = false

    @OptionGroup var access: AccessTokenOptions

    @OptionGroup var tls: TLSOptions

    @OptionGroup var kafka: KafkaListenerOptions

    @Flag(name: .customLong("no-kafka"), help: "Do not listen for Kafka clients.")
    var noKafka = false

    static var defaultRates: String {
        AppRegistry.standard.apps.flatMap(\.demoFeeds).map { "\($0.topic)=\(Int($0.defaultRate))" }
            .joined(separator: ", ")
    }

    /// `--rate TOPIC=R` values by topic; every topic must be one a demo feed writes.
    func parsedRates(feeds: [DemoFeed]) throws -> [String: Double] {
        var parsed: [String: Double] = [:]
        for text in rates {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let rate = Double(parts[1]), rate >= 0, rate.isFinite else {
                throw CLIError.invalidArgument(
                    "--rate must be TOPIC=RATE with a rate of 0 or more records per second (got '\(text)')")
            }
            guard feeds.contains(where: { $0.topic == parts[0] }) else {
                throw CLIError.invalidArgument(
                    "--rate: no simulator writes '\(parts[0])'; the demo's topics are \(feeds.map(\.topic).joined(separator: ", "))"
                )
            }
            parsed[parts[0]] = rate
        }
        return parsed
    }

    func run() async throws {
        let registry = AppRegistry.standard
        let feeds = registry.apps.flatMap(\.demoFeeds)
        let chosenRates = try parsedRates(feeds: feeds)
        guard (0...1).contains(badRate) else {
            throw CLIError.invalidArgument("--bad-rate must be between 0 and 1 (got \(badRate))")
        }
        try ServeCommand.checkPort(host: host, port: port)
        let certificate = try tls.load()
        let token = try access.resolve(host: host)
        let log = try dataDir.openLog(flush: .default)
        let listener = try kafka.service(log: log, disabled: noKafka)
        for app in registry.apps {
            for topic in app.topics {
                try Self.ensureTopic(topic.name, partitions: topic.partitions, in: log)
            }
        }
        var deployment = try ServeCommand.deploy(
            registry.apps.map { AppChoice($0.name) }, from: registry, log: log, dataDirectory: dataDir.path,
            reset: reset, accessToken: token)
        var banner: [String] = []
        for feed in feeds {
            let rate = chosenRates[feed.topic] ?? feed.defaultRate
            guard rate > 0 else { continue }
            deployment.services.append(try feed.service(rate: rate, badRate: badRate, log: log))
            banner.append("\(Int(rate)) \(feed.unit)/s")
        }
        if let listener { deployment.services.append(listener) }
        let host = self.host
        let rates = banner.isEmpty ? "no simulators" : banner.joined(separator: ", ")
        let scheme = tls.scheme
        try await ServeCommand.serve(
            deployment.server, host: host, port: port, services: deployment.services, log: log,
            tls: certificate
        ) { port in
            announce(
                "Eddy demo: dashboard at \(scheme)://\(host):\(port)/ (\(rates)); Ctrl-C checkpoints and stops."
            )
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
