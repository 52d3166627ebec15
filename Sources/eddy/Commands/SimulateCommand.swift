import ArgumentParser
import EddyApps
import EddyLog

/// `eddy simulate NAME N`: the apps' simulators (``AppRegistry/simulators``), to stdout or a topic.
///
/// ```text
/// eddy simulate motion 10000 > dados_movimento.jsonl
/// eddy simulate sales 5000 --rate 50 --to ecommerce_sales
/// eddy simulate motion 1000 --seed 7 --null-rate 0.1
/// ```
struct SimulateCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "simulate",
            abstract: "Generate an app's simulated data: \(simulatorNames).",
            discussion: """
                Records are JSON objects, one per line on stdout, or appended to a topic with --to (keyed as \
                the simulator keys them). Simulators and their own options (eddy simulate NAME --help shows \
                the fields):

                \(SimulateCommand.simulatorOptionsHelp)
                """)
    }

    @Argument(help: ArgumentHelp("The simulator: \(simulatorNames).", valueName: "simulator"))
    var simulator: String

    @Argument(help: "How many records to generate.")
    var count: Int

    @Option(
        help:
            "Seed for a reproducible run: the same seed gives the same bytes, timestamps included (they start at 2024-08-23T15:22:16.968007Z). Without it, data is random and stamped with the current time."
    )
    var seed: UInt64?

    @Option(help: "Records per second (default: as fast as possible). Use it to feed a live pipeline.")
    var rate: Double?

    @Option(
        help: ArgumentHelp(
            "Append to this topic (created with --partitions if absent) instead of printing to stdout.",
            valueName: "topic"))
    var to: String?

    @Option(help: "Partitions of the --to topic when it has to be created.")
    var partitions: Int = 1

    @Option(help: FlushChoice.help)
    var flush: FlushChoice = .interval

    @OptionGroup var dataDir: DataDirOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var simulatorOptions: [String] = []

    func validate() throws {
        guard count >= 0 else { throw ValidationError("the record count must be 0 or more") }
        if let rate, !(rate > 0 && rate.isFinite) {
            throw ValidationError("--rate must be a positive number of records per second")
        }
        guard partitions > 0 else { throw ValidationError("--partitions must be positive") }
    }

    func run() async throws {
        let made: any Simulator
        do {
            let chosen = try AppRegistry.standard.simulator(named: simulator)
            let settings = try chosen.settings.parse(arguments: simulatorOptions, topic: false)
            made = try chosen.simulator(AppSimulator.Run(seed: seed, rate: rate, settings: settings))
        } catch {
            throw CLIError.invalidArgument("\(error)")
        }
        try await emit(made)
    }

    /// Prints each record as a line, or appends it to the `--to` topic. Ctrl-C stops after the current batch.
    private func emit<S: Simulator>(_ simulator: S) async throws {
        let task = Task {
            var simulator = simulator
            if let topic = to {
                let log = try dataDir.openLog(flush: flush.policy)
                _ = try TopicResolver.describe(topic, in: log, createWith: partitions)
                let written = try await simulator.run(count: count, rate: rate, into: log, topic: topic)
                printError("Appended \(written) records to '\(topic)'")
            } else {
                let out = OutputStream(descriptor: 1, capacity: 1 << 18)
                try await simulator.run(count: count, rate: rate) { batch in
                    for record in batch {
                        try out.write(record.value)
                        try out.write(byte: 0x0A)
                    }
                    if rate != nil { try out.flush() }  // live feed: each batch as soon as it is made
                }
                try out.flush()
            }
        }
        let interrupt = InterruptSignal.install { task.cancel() }
        defer { withExtendedLifetime(interrupt) {} }
        try await task.value
    }

    static var simulatorNames: String {
        AppRegistry.standard.simulators.map(\.name).joined(separator: ", ")
    }

    static var simulatorOptionsHelp: String {
        AppRegistry.standard.simulators.map { simulator in
            "  \(simulator.name) (\(simulator.unit) for topic \(simulator.topic))"
                + (simulator.settings.isEmpty
                    ? "" : ": " + simulator.settings.map(\.option).joined(separator: ", "))
        }.joined(separator: "\n")
    }
}
