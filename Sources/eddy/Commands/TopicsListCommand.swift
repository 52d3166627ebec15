import ArgumentParser
import EddyLog

/// `eddy topics list`: one topic name per line, sorted (kafka-topics.sh --list).
struct TopicsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the topics, one name per line.")

    @OptionGroup var dataDir: DataDirOptions

    func run() throws {
        let log = try dataDir.openLog(flush: .default)
        for name in try log.topicNames().sorted() {
            print(name)
        }
    }
}
