import ArgumentParser
import EddyLog

/// `eddy topics delete NAME`
struct TopicsDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a topic and all its records.")

    @OptionGroup var dataDir: DataDirOptions

    @Argument(help: "Topic name.")
    var name: String

    func run() throws {
        let log = try dataDir.openLog(flush: .default)
        try log.deleteTopic(name)
        print("Deleted topic '\(name)'.")
    }
}
