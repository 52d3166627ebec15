import EddyApps
import EddyLog
import EddyML
import EddyStream
import Foundation

/// Appends likes for one user to the likes topic, and reports which tracks the catalogue topic lacks.
struct LikesAppender {
    struct Like {
        var trackID: String
        /// ISO 8601 as Spotify writes it, or nil for now.
        var likedAt: String?
        var label: String
    }

    let dataDir: DataDirOptions
    let topic: String
    let catalogue: String

    func append(_ likes: [Like], user: String) throws {
        guard !user.isEmpty else { throw CLIError.invalidArgument("--user must not be empty") }
        let log = try dataDir.openLog(flush: .default)
        _ = try TopicResolver.describe(topic, in: log, createWith: 1)
        let known = try knownTracks(in: log)
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let records = likes.map { like in
            let micros = like.likedAt.flatMap(Self.micros(iso:)) ?? now
            return ProducerRecord(
                key: Array(user.utf8),
                value: SongRecords.json(
                    SongRecords.LikeEvent(userID: user, trackID: like.trackID, likedAt: micros)))
        }
        for start in stride(from: 0, to: records.count, by: 1000) {
            try log.append(Array(records[start..<min(records.count, start + 1000)]), to: topic)
        }
        let missing = known.map { known in likes.filter { !known.contains($0.trackID) } } ?? []
        printError("Appended \(records.count) likes for '\(user)' to '\(topic)'.")
        if known == nil {
            printError(
                "The catalogue topic '\(catalogue)' does not exist yet; tracks were not checked against it.")
        } else if !missing.isEmpty {
            printError(
                "\(missing.count) of them are not in the catalogue '\(catalogue)' (they count once it has them):"
            )
            for like in missing.prefix(20) { printError("  \(like.trackID)  \(like.label)") }
            if missing.count > 20 { printError("  … and \(missing.count - 20) more") }
        }
    }

    /// Track ids on the catalogue topic, or nil when there is no such topic.
    private func knownTracks(in log: any Log) throws -> Set<String>? {
        guard let description = try? log.describeTopic(catalogue) else { return nil }
        var ids = Set<String>()
        for partition in description.partitions.map(\.partition) {
            let tp = TopicPartition(catalogue, partition)
            var position = try log.offsets(of: tp).start
            let end = try log.offsets(of: tp).end
            while position < end {
                let fetched = try log.read(tp, from: position, maxBytes: 4 << 20)
                for record in fetched.records() {
                    if case .success(let track) = SongRecords.track(from: record.value) {
                        ids.insert(track.id)
                    }
                }
                guard fetched.nextOffset > position else { break }
                position = fetched.nextOffset
            }
        }
        return ids
    }

    static func micros(iso text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970 * 1_000_000) }
    }
}
