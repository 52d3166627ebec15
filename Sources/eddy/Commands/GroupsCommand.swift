import ArgumentParser
import EddyLog

/// `eddy groups list|describe`: consumer groups and their lag (kafka-consumer-groups.sh).
struct GroupsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "List consumer groups and show their committed offsets and lag.",
        subcommands: [GroupsListCommand.self, GroupsDescribeCommand.self])
}

/// `eddy groups list`
struct GroupsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the consumer groups that have committed offsets, one per line.")

    @OptionGroup var dataDir: DataDirOptions

    func run() throws {
        let log = try dataDir.openLog(flush: .default)
        for group in try log.consumerGroups.groups().sorted() {
            print(group)
        }
    }
}

/// `eddy groups describe GROUP`: per topic and partition, the committed offset, the end offset and the lag.
struct GroupsDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract:
            "Show a group's committed offset, the partition's end offset and the lag (records not yet consumed)."
    )

    @OptionGroup var dataDir: DataDirOptions

    @Argument(help: "Consumer group name.")
    var group: String

    @Option(help: "Only this topic.")
    var topic: String?

    func run() throws {
        let log = try dataDir.openLog(flush: .default)
        guard try log.consumerGroups.groups().contains(group) else {
            throw CLIError.invalidArgument(
                "consumer group '\(group)' has no committed offsets; list groups with: eddy groups list")
        }
        let topics = try topic.map { [$0] } ?? log.topicNames().sorted()
        var rows = [["TOPIC", "PARTITION", "COMMITTED", "END", "LAG"]]
        for name in topics {
            let committed = try log.consumerGroups.committed(group: group, topic: name)
            guard !committed.isEmpty else { continue }
            let partitions = try log.describeTopic(name).partitions.sorted { $0.partition < $1.partition }
            for partition in partitions {
                let end = partition.endOffset
                if let offset = committed[partition.partition] {
                    rows.append([
                        "\(name)", "\(partition.partition)", "\(offset)", "\(end)", "\(max(0, end - offset))",
                    ])
                } else {
                    rows.append(["\(name)", "\(partition.partition)", "-", "\(end)", "-"])
                }
            }
        }
        guard rows.count > 1 else {
            throw CLIError.invalidArgument(
                "consumer group '\(group)' has no committed offsets for topic '\(topic ?? "")'")
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == 0
                    ? cell + String(repeating: " ", count: widths[column] - cell.count)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }
            print(cells.joined(separator: "  "))
        }
    }
}
