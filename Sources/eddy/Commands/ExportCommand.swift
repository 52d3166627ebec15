import ArgumentParser
import EddyFormats
import EddyLog
import Foundation

/// `eddy export TOPIC --format parquet|csv --output FILE`: a topic's JSON records as one columnar file.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a topic's JSON records to a Parquet or CSV file.",
        discussion: """
            Reads every record of the topic present when the command starts (all partitions, in partition \
            order) and writes one row per JSON object. Without --schema the columns are inferred: integers \
            become int64, other numbers double, true/false boolean, ISO-8601 strings timestamp (UTC, \
            microseconds), other strings string, nested objects and arrays their JSON text; a key missing \
            from a record is null. With --schema 'name TYPE, …' only those fields are written, in that order \
            (types: boolean, int32, int64, float, double, string, binary, date, timestamp, \
            timestamp_ms, timestamp_ns, decimal(P,S)). The file is written to a temporary name and renamed \
            when complete.

            Examples:
              eddy export motion --format parquet --output motion.parquet
              eddy export motion --format csv --output motion.csv --schema 'id_sensor string, duration double'
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case parquet, csv
    }

    enum Codec: String, ExpressibleByArgument, CaseIterable {
        case zstd, snappy, gzip, none

        var codec: EddyFormats.CompressionCodec {
            switch self {
            case .zstd: .zstd
            case .snappy: .snappy
            case .gzip: .gzip
            case .none: .uncompressed
            }
        }
    }

    @OptionGroup var dataDir: DataDirOptions

    @Argument(help: "Topic to export.")
    var topic: String

    @Option(help: "File format: parquet or csv.")
    var format: Format = .parquet

    @Option(help: ArgumentHelp("File to write (replaced if it exists).", valueName: "file"))
    var output: String

    @Option(
        help: ArgumentHelp(
            "Columns and types, e.g. 'id int64, at timestamp, price decimal(10,2)'; inferred when absent.",
            valueName: "fields"))
    var schema: String?

    @Option(help: "Parquet compression codec: zstd, snappy, gzip or none.")
    var codec: Codec = .zstd

    @Flag(inversion: .prefixedNo, help: "Dictionary-encode Parquet columns (falls back to plain per chunk).")
    var dictionary = true

    func run() throws {
        let fields = try schema.map(JSONColumns.parseSchema)
        let log = try dataDir.openLog(flush: .default)
        let description = try log.describeTopic(topic)
        var objects: [[String: Any]] = []
        var skipped = 0
        for partition in 0..<description.config.partitions {
            let tp = TopicPartition(topic, partition)
            var (next, end) = try log.offsets(of: tp)
            while next < end {
                let fetched = try log.read(tp, from: next, maxBytes: 1 << 20)
                if fetched.isEmpty { break }
                fetched.forEach { record in
                    guard record.offset < end else { return }
                    let data = Data(record.value)
                    if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                        objects.append(object)
                    } else {
                        skipped += 1
                    }
                }
                next = fetched.nextOffset
            }
        }
        let table = try JSONColumns.table(objects, fields: fields ?? JSONColumns.infer(objects))
        let temporary = output + ".tmp-\(getpid())"
        do {
            switch format {
            case .parquet:
                var options = ParquetWriteOptions(codec: codec.codec, dictionary: dictionary)
                options.rowGroupRows = 1 << 20
                try ParquetWriter.write(table, to: temporary, options: options)
            case .csv:
                try CSVWriter.write(table, to: temporary)
            }
            guard rename(temporary, output) == 0 else {
                throw CLIError.output(
                    reason: "cannot rename \(temporary) to \(output): \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
        var summary = "Exported \(table.rowCount) records from '\(topic)' to \(output) (\(format.rawValue)"
        summary += format == .parquet ? ", \(codec.rawValue))" : ")"
        if skipped > 0 { summary += "; skipped \(skipped) records that are not JSON objects" }
        printError(summary)
    }
}
