import ArgumentParser
import EddyLog

/// `eddy topics create NAME [--partitions N] [--retention-ms MS] [--retention-bytes B]`
struct TopicsCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a topic.",
        discussion:
            "Keys are spread over the partitions with Kafka's murmur2 partitioner, so the partition count decides where each key lands; it cannot be changed later."
    )

    @OptionGroup var dataDir: DataDirOptions

    @Argument(help: "Topic name: letters, digits, '.', '_' and '-', at most 249 characters.")
    var name: String

    @Option(help: "Number of partitions (1 to 10000).")
    var partitions: Int = 1

    @Option(
        name: .customLong("retention-ms"),
        help: ArgumentHelp(
            "Delete whole segments whose newest record is older than this (default: keep forever).",
            valueName: "ms"))
    var retentionMillis: Int64?

    @Option(
        name: .customLong("retention-bytes"),
        help: ArgumentHelp(
            "Delete the oldest segments while a partition is larger than this (default: no limit).",
            valueName: "bytes"))
    var retentionBytes: Int64?

    func validate() throws {
        if let retentionMillis, retentionMillis <= 0 {
            throw ValidationError("--retention-ms must be positive (omit it to keep records forever)")
        }
        if let retentionBytes, retentionBytes <= 0 {
            throw ValidationError("--retention-bytes must be positive (omit it for no size limit)")
        }
    }

    func run() throws {
        let log = try dataDir.openLog(flush: .default)
        let config = TopicConfig(
            partitions: partitions, retentionMillis: retentionMillis, retentionBytes: retentionBytes)
        let description = try log.createTopic(name, config: config)
        print(
            "Created topic '\(description.name)' with \(description.config.partitions) partition\(description.config.partitions == 1 ? "" : "s")."
        )
    }
}
