import ArgumentParser

@main
struct Eddy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eddy",
        abstract:
            "Real-time streaming analytics: an embedded Kafka-model log, a streaming engine, sinks and an API.",
        version: "0.1.0",
        subcommands: [RunCommand.self]
    )
}
