import ArgumentParser
import EddyApps
import EddyLog

/// `eddy simulate motion|sales N`: the seeds' simulators.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate the seeds' simulated data: motion-sensor readings or e-commerce orders.",
        subcommands: [SimulateMotionCommand.self, SimulateSalesCommand.self])
}

/// The options both simulators share, and the loop that sends their records to stdout or a topic.
struct SimulationOptions: ParsableArguments {
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

    func validate() throws {
        guard count >= 0 else { throw ValidationError("the record count must be 0 or more") }
        if let rate, !(rate > 0 && rate.isFinite) {
            throw ValidationError("--rate must be a positive number of records per second")
        }
        guard partitions > 0 else { throw ValidationError("--partitions must be positive") }
    }

    /// Runs `simulator`, printing each record as a line or appending it to the `--to` topic (keyed as the
    /// simulator keys it). Ctrl-C stops the run after the current batch.
    func run<S: Simulator>(_ simulator: S) async throws {
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
        _ = interrupt
        try await task.value
    }
}

/// `eddy simulate motion N`
struct SimulateMotionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motion",
        abstract: "Motion-sensor readings in seed 002's shape, one JSON object per line.",
        discussion: """
            Fields: timestamp (ISO-8601 UTC with microseconds), id_sensor (SM-123AB), location (Entrada, \
            Corredor_A, Corredor_B, Caixa, Sessao_de_Roupas, Sessao_de_Eletronicos), customer_id \
            (Cliente_5678), movement_detected (true), duration (1.00-300.00 s), traffic_count (1-10). \
            Each sensor stays in one area. With --to, records are keyed by id_sensor.

            Examples:
              eddy simulate motion 10000 > dados_movimento.jsonl
              eddy simulate motion 100000 --rate 200 --to motion
            """)

    @OptionGroup var options: SimulationOptions

    @Option(
        help:
            "Probability (0 to 1) that a reading's duration, and independently its location, is null; the retail job drops such rows."
    )
    var nullRate: Double = 0

    func validate() throws {
        guard (0...1).contains(nullRate) else { throw ValidationError("--null-rate must be between 0 and 1") }
    }

    func run() async throws {
        let clock = SimulationClock.forRun(seed: options.seed, rate: options.rate)
        try await options.run(MotionSimulator(seed: options.seed, nullRate: nullRate, clock: clock))
    }
}

/// `eddy simulate sales N`
struct SimulateSalesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sales",
        abstract: "E-commerce orders in seed 003's shape, one JSON object per line.",
        discussion: """
            Fields: order_id (UUID v4), client_document (11-digit CPF with valid check digits), products \
            (1-5 items of {product_name, quantity 1-5, price}), total_value (the sum of quantity x price, \
            exact to the cent), sale_datetime (ISO-8601 UTC). With --to, records are keyed by \
            client_document.

            Examples:
              eddy simulate sales 1000 --seed 7
              eddy simulate sales 5000 --rate 50 --to ecommerce_sales
            """)

    @OptionGroup var options: SimulationOptions

    func run() async throws {
        let clock = SimulationClock.forRun(seed: options.seed, rate: options.rate)
        try await options.run(SalesSimulator(seed: options.seed, clock: clock))
    }
}
