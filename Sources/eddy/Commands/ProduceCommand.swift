import ArgumentParser
import EddyLog

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `eddy produce TOPIC`: appends stdin to a topic, one record per line (kafka-console-producer).
struct ProduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Append stdin to a topic, one record per line.",
        discussion: """
            Each line becomes one record's value (without its line ending; a '\\r' before the '\\n' is \
            dropped). Empty lines are skipped, unlike kafka-console-producer which sends them as empty \
            records; pass --keep-empty-lines for Kafka's behaviour. Records are appended in batches; a \
            summary (records, bytes, rate) goes to stderr.

            Examples:
              eddy simulate motion 10000 > dados_movimento.jsonl
              eddy produce motion --create --key-field id_sensor < dados_movimento.jsonl
            """)

    @OptionGroup var dataDir: DataDirOptions

    @Argument(help: "Topic to append to.")
    var topic: String

    @Option(
        help: ArgumentHelp(
            "Take each record's key from this top-level JSON field (a string's contents, or a number's text). Records with the same key go to the same partition (Kafka's murmur2). Lines without the field get no key.",
            valueName: "field"))
    var keyField: String?

    @Option(help: "Append every record to this partition instead of choosing by key.")
    var partition: Int?

    @Flag(help: "Create the topic (with --partitions) if it does not exist.")
    var create = false

    @Option(help: "Partitions of the topic when --create creates it.")
    var partitions: Int = 1

    @Option(help: FlushChoice.help)
    var flush: FlushChoice = .interval

    @Option(
        help:
            "Largest record accepted, in bytes. A longer line stops the run with an error; the lines before it are written."
    )
    var maxRecordBytes: Int = FileLog.defaultMaxRecordBytes

    @Option(help: "Most records per appended batch.")
    var batchRecords: Int = 1000

    @Option(help: "Most bytes per appended batch.")
    var batchBytes: Int = 1 << 20

    @Flag(
        help:
            "Send empty lines as empty records (kafka-console-producer's behaviour) instead of skipping them."
    )
    var keepEmptyLines = false

    @Flag(
        help:
            "After each batch is appended (and, with --flush always, fsynced), print 'acked N' to stdout, N being the records acknowledged so far."
    )
    var verboseAcks = false

    @Option(
        help: ArgumentHelp(
            "Read the records from this Parquet file instead of stdin: one JSON object per row (integers stay integers, decimals keep their digits, timestamps ISO-8601).",
            valueName: "file"))
    var fromParquet: String?

    func validate() throws {
        guard maxRecordBytes > 0 else { throw ValidationError("--max-record-bytes must be positive") }
        guard batchRecords > 0 else { throw ValidationError("--batch-records must be positive") }
        guard batchBytes > 0 else { throw ValidationError("--batch-bytes must be positive") }
        if let partition, partition < 0 { throw ValidationError("--partition must be 0 or more") }
    }

    func run() throws {
        if let fromParquet { return try produceRows(of: fromParquet) }
        let topic = self.topic
        let log = try dataDir.openLog(flush: flush.policy, maxRecordBytes: maxRecordBytes)
        let description = try TopicResolver.describe(topic, in: log, createWith: create ? partitions : nil)
        if let partition, partition >= description.config.partitions {
            throw LogError.partitionNotFound(
                TopicPartition(topic, partition), partitions: description.config.partitions)
        }
        let target = partition.map { TopicPartition(topic, $0) }
        let keyLookup = keyField.map(JSONField.init)
        // Plain copies of the flags: reading a property-wrapped option costs a generic metadata lookup,
        // which the per-line loop below would pay millions of times.
        let maxRecordBytes = self.maxRecordBytes
        let batchRecords = self.batchRecords
        let batchBytes = self.batchBytes
        let keepEmptyLines = self.keepEmptyLines
        let verboseAcks = self.verboseAcks
        let stdout = OutputStream(descriptor: 1)
        let progress = ProgressLine(enabled: isatty(2) == 1)
        let clock = ContinuousClock()
        let start = clock.now

        var batch: [ProducerRecord] = []
        batch.reserveCapacity(batchRecords)
        var batchByteCount = 0
        var written = 0
        var writtenBytes = 0
        var skippedEmpty = 0
        var withoutKey = 0

        func send() throws {
            guard !batch.isEmpty else { return }
            do {
                if let target {
                    try log.append(batch, to: target)
                } else {
                    try log.append(batch, to: topic)
                }
            } catch {
                progress.finish()
                throw CLIError.appendFailed(error, written: written)  // the batch is all or nothing
            }
            written += batch.count
            writtenBytes += batchByteCount
            batch.removeAll(keepingCapacity: true)
            batchByteCount = 0
            if verboseAcks {
                try stdout.write("acked \(written)\n")
                try stdout.flush()
            }
            progress.update { "\(written) records, \(ByteCount.format(writtenBytes))" }
        }

        let reader = LineReader(descriptor: 0)
        try reader.forEachLine(maxLineBytes: maxRecordBytes) { lineNumber, line in
            if line.isEmpty && !keepEmptyLines {
                skippedEmpty += 1
                return .proceed
            }
            var key: [UInt8]? = nil
            if let keyLookup {
                if case .found(let bytes) = keyLookup.lookup(in: line) {
                    key = bytes
                } else {
                    withoutKey += 1
                }
            }
            let recordBytes = line.count + (key?.count ?? 0)
            if recordBytes > maxRecordBytes {  // the log counts key + value against the limit
                try send()
                progress.finish()
                throw CLIError.recordTooLarge(
                    line: lineNumber, size: recordBytes, max: maxRecordBytes, written: written)
            }
            batch.append(ProducerRecord(key: key, value: Array(line)))
            batchByteCount += line.count
            if batch.count >= batchRecords || batchByteCount >= batchBytes { try send() }
            return .proceed
        } tooLong: { lineNumber, size in
            try send()  // the lines before the long one are whole records: keep them
            progress.finish()
            throw CLIError.recordTooLarge(line: lineNumber, size: size, max: maxRecordBytes, written: written)
        } idle: {
            try send()
        }
        try send()
        progress.finish()

        let elapsed = start.duration(to: clock.now)
        let seconds = max(
            1e-9, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        var summary = "Produced \(written) records (\(ByteCount.format(writtenBytes))) to '\(topic)' in "
        summary +=
            "\(ByteCount.rounded(seconds * 1000)) ms: \(ByteCount.count(Double(written) / seconds)) records/s, "
        summary += "\(ByteCount.format(Int64(Double(writtenBytes) / seconds)))/s"
        if skippedEmpty > 0 {
            summary += "; skipped \(skippedEmpty) empty line\(skippedEmpty == 1 ? "" : "s")"
        }
        if withoutKey > 0, let keyField {
            summary +=
                "; \(withoutKey) record\(withoutKey == 1 ? "" : "s") had no '\(keyField)' field and got no key"
        }
        printError(summary)
    }
}
