import EddyFormats
import EddyLog

extension ProduceCommand {
    /// `--from-parquet FILE`: each row of the file becomes one JSON record, keyed by `--key-field` when
    /// given; rows are read one row group at a time.
    func produceRows(of path: String) throws {
        let reader = try ParquetReader(path: path)
        let log = try dataDir.openLog(flush: flush.policy, maxRecordBytes: maxRecordBytes)
        let description = try TopicResolver.describe(topic, in: log, createWith: create ? partitions : nil)
        if let partition, partition >= description.config.partitions {
            throw LogError.partitionNotFound(
                TopicPartition(topic, partition), partitions: description.config.partitions)
        }
        let keyColumn = try keyField.map { name in
            guard let index = reader.fields.firstIndex(where: { $0.name == name }) else {
                throw CLIError.invalidArgument(
                    "--key-field '\(name)' is not a column of \(path); its columns are: "
                        + reader.fields.map(\.name).joined(separator: ", "))
            }
            return index
        }
        var written = 0
        var batch: [ProducerRecord] = []
        var value: [UInt8] = []
        func send() throws {
            guard !batch.isEmpty else { return }
            do {
                if let partition {
                    try log.append(batch, to: TopicPartition(topic, partition))
                } else {
                    try log.append(batch, to: topic)
                }
            } catch {
                throw CLIError.appendFailed(error, written: written)
            }
            written += batch.count
            batch.removeAll(keepingCapacity: true)
        }
        for group in 0..<reader.rowGroupCount {
            let table = try reader.read(rowGroups: group..<group + 1)
            let json = JSONObjectWriter(table)
            for row in 0..<table.rowCount {
                value.removeAll(keepingCapacity: true)
                json.append(row: row, to: &value)
                guard value.count <= maxRecordBytes else {
                    throw CLIError.invalidArgument(
                        "row \(written + batch.count + 1) is \(value.count) bytes as JSON, over --max-record-bytes \(maxRecordBytes) (\(written) records before it were written)"
                    )
                }
                let key = keyColumn.flatMap { table.text(row: row, column: $0) }
                batch.append(ProducerRecord(key: key, value: value))
                if batch.count >= batchRecords { try send() }
            }
        }
        try send()
        printError("Produced \(written) records from \(path) to '\(topic)'")
    }
}
