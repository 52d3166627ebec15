extension Partitioner {
    /// Splits one append call's records by partition, keeping their order within each partition.
    /// Keyless records all go to one sticky partition for the call.
    func route(_ records: [ProducerRecord], partitions: Int) -> [(partition: Int, indices: [Int])] {
        if partitions == 1 { return [(0, Array(records.indices))] }
        var sticky: Int? = nil
        var byPartition: [[Int]] = Array(repeating: [], count: partitions)
        for (i, record) in records.enumerated() {
            let p: Int
            if let key = record.key {
                p = Partitioner.partition(forKey: key, partitions: partitions)
            } else {
                if sticky == nil { sticky = stickyPartition(partitions: partitions) }
                p = sticky!
            }
            byPartition[p].append(i)
        }
        var result: [(partition: Int, indices: [Int])] = []
        for (p, indices) in byPartition.enumerated() where !indices.isEmpty {
            result.append((p, indices))
        }
        return result
    }
}
