import ArgumentParser

/// `eddy topics …`: create, list, describe and delete topics (kafka-topics.sh).
struct TopicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Create, list, describe and delete topics.",
        subcommands: [
            TopicsCreateCommand.self, TopicsListCommand.self, TopicsDescribeCommand.self,
            TopicsDeleteCommand.self,
        ])
}
