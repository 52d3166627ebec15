import ArgumentParser
import EddyLog
import Foundation

/// `eddy topics describe NAME`: settings, then one line per partition with its offsets and size.
struct TopicsDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a topic's settings and each partition's start and end offsets, size and segments.")

    @OptionGroup var dataDir: DataDirOptions

    @Argument(help: "Topic name.")
    var name: String

    func run() throws {
        let log = try dataDir.openLog(flush: .default)
        let topic = try log.describeTopic(name)
        print(Self.render(topic), terminator: "")
    }

    static func render(_ topic: TopicDescription) -> String {
        let retention = topic.config.retentionMillis.map { "\($0) ms" } ?? "forever"
        let retentionBytes = topic.config.retentionBytes.map { ByteCount.format($0) } ?? "unlimited"
        let records = topic.partitions.reduce(Int64(0)) { $0 + ($1.endOffset - $1.startOffset) }
        let bytes = topic.partitions.reduce(Int64(0)) { $0 + $1.bytes }
        var text = "Topic: \(topic.name)\tPartitions: \(topic.config.partitions)\tRetention: \(retention)"
        text +=
            "\tRetentionBytes: \(retentionBytes)\tSegmentBytes: \(ByteCount.format(topic.config.segmentBytes))\n"
        text += "Records: \(records)\tBytes: \(bytes) (\(ByteCount.format(bytes)))\n"
        let header = ["PARTITION", "START", "END", "RECORDS", "BYTES", "SEGMENTS"]
        var rows = [header]
        for p in topic.partitions.sorted(by: { $0.partition < $1.partition }) {
            rows.append([
                "\(p.partition)", "\(p.startOffset)", "\(p.endOffset)", "\(p.endOffset - p.startOffset)",
                "\(p.bytes)", "\(p.segments)",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == 0
                    ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }
            text += "  " + cells.joined(separator: "  ") + "\n"
        }
        return text
    }
}
