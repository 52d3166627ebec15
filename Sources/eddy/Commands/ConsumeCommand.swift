import ArgumentParser
import EddyLog

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `eddy consume TOPIC`: prints records' values, one per line (kafka-console-consumer).
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Print a topic's records, one value per line.",
        discussion: """
            Starts at the group's committed offsets when --group has some, else at the beginning with \
            --from-beginning, else at the end (only new records). Without --max-messages or --timeout-ms \
            it follows the topic until Ctrl-C. With --group the position is committed on exit, so the next \
            run with the same group continues where this one stopped. Partitions are read in turn; order \
            is kept within each partition. The count of printed records goes to stderr at the end.

            Examples:
              eddy consume motion --from-beginning
              eddy consume motion --group audit --max-messages 100 --print-key
            """)

    @OptionGroup var dataDir: DataDirOptions

    @Argument(help: "Topic to read.")
    var topic: String

    @Flag(
        help:
            "Start at the oldest retained record when the group has no committed offset (or without --group)."
    )
    var fromBeginning = false

    @Option(
        help: ArgumentHelp(
            "Consumer group: read from its committed offsets and commit the new position on exit.",
            valueName: "name"))
    var group: String?

    @Option(help: "Exit after printing this many records.")
    var maxMessages: Int?

    @Option(
        name: .customLong("timeout-ms"),
        help: ArgumentHelp("Exit when no record arrives for this long.", valueName: "ms"))
    var timeoutMillis: Int?

    @Flag(help: "Print each record's key and a tab before its value ('null' when it has none).")
    var printKey = false

    @Flag(help: "Print 'Partition:P<tab>Offset:O<tab>' before each record.")
    var printOffset = false

    @Option(help: "Read only this partition.")
    var partition: Int?

    func validate() throws {
        if let maxMessages, maxMessages <= 0 { throw ValidationError("--max-messages must be positive") }
        if let timeoutMillis, timeoutMillis < 0 { throw ValidationError("--timeout-ms must be 0 or more") }
        if let group, group.isEmpty { throw ValidationError("--group needs a name") }
    }

    func run() async throws {
        let log = try dataDir.openLog(flush: .default)
        let description = try log.describeTopic(topic)
        let partitionCount = description.config.partitions
        if let partition, partition < 0 || partition >= partitionCount {
            throw LogError.partitionNotFound(TopicPartition(topic, partition), partitions: partitionCount)
        }
        let partitions =
            partition.map { [TopicPartition(topic, $0)] }
            ?? (0..<partitionCount).map { TopicPartition(topic, $0) }
        let committed = try group.map { try log.consumerGroups.committed(group: $0, topic: topic) } ?? [:]
        var next: [TopicPartition: Offset] = [:]
        for tp in partitions {
            let (start, end) = try log.offsets(of: tp)
            if let offset = committed[tp.partition] {
                next[tp] = min(max(offset, start), end)
            } else {
                next[tp] = fromBeginning ? start : end
            }
        }

        signal(SIGPIPE, SIG_IGN)  // a closed pipe (`| head`) becomes EPIPE: stop cleanly and commit
        let interrupt = InterruptSignal.install()
        let out = OutputStream(descriptor: 1, capacity: 1 << 18)
        let format = RecordFormat(printKey: printKey, printOffset: printOffset)
        let limit = maxMessages ?? .max
        var printed = 0
        var delivered = next  // positions whose records reached stdout; committed on exit
        let clock = ContinuousClock()
        var lastRecord = clock.now
        let timeout = timeoutMillis.map { Duration.milliseconds($0) }

        func commit() throws {
            guard let group else { return }
            try log.consumerGroups.commit(group: group, offsets: delivered)
        }

        do {
            consuming: while !interrupt.isRaised {
                var progressed = false
                for tp in partitions {
                    let fetched = try log.read(tp, from: next[tp]!, maxBytes: 1 << 20)
                    if fetched.isEmpty {
                        if fetched.logStartOffset > next[tp]! { next[tp] = fetched.logStartOffset }
                        continue
                    }
                    progressed = true
                    var reachedMax = false
                    var position = next[tp]!
                    try fetched.forEach { record in
                        guard !reachedMax else { return }
                        try format.write(record, partition: tp.partition, to: out)
                        position = record.offset + 1
                        printed += 1
                        if printed >= limit { reachedMax = true }
                    }
                    next[tp] = reachedMax ? position : max(position, fetched.nextOffset)
                    if reachedMax { break consuming }
                }
                if progressed {
                    lastRecord = clock.now
                    continue
                }
                try out.flush()
                delivered = next
                var slice = Duration.milliseconds(200)
                if let timeout {
                    let left = timeout - lastRecord.duration(to: clock.now)
                    if left <= .zero { break }
                    slice = min(slice, left)
                }
                _ = await Self.waitForAny(partitions, after: next, in: log, timeout: slice)
            }
            try out.flush()
            delivered = next
        } catch CLIError.output {
            // stdout closed (e.g. `| head`): what reached it counts as consumed.
            try commit()
            printError("Processed a total of \(printed) messages")
            return
        }
        try commit()
        printError("Processed a total of \(printed) messages")
    }

    /// How a record is printed; a plain value so the per-record path reads no property-wrapped flags.
    struct RecordFormat {
        var printKey: Bool
        var printOffset: Bool

        func write(_ record: RecordView, partition: Int, to out: OutputStream) throws {
            if printOffset {
                try out.write("Partition:\(partition)\tOffset:\(record.offset)\t")
            }
            if printKey {
                if let key = record.key { try out.write(key) } else { try out.write("null") }
                try out.write(byte: 0x09)
            }
            try out.write(record.value)
            try out.write(byte: 0x0A)
        }
    }

    /// Waits until any partition has data past its position, or `timeout` passes.
    static func waitForAny(
        _ partitions: [TopicPartition], after next: [TopicPartition: Offset], in log: any Log,
        timeout: Duration
    ) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            for tp in partitions {
                let offset = next[tp]!
                group.addTask { await log.waitForData(tp, beyond: offset, timeout: timeout) }
            }
            for await arrived in group where arrived {
                group.cancelAll()
                return true
            }
            return false
        }
    }
}
