import ArgumentParser
import EddyML
import Foundation

/// `eddy recommend`: asks a trained model (see `eddy train als`) for a user's top items, from the shell.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Print the top-N items of a user (or of every user) from a trained model.",
        discussion: """
            One JSON line per user: {"user_id": 42, "items": [{"item_id": 50, "score": 4.87}, …]}, best \
            first, without the items the user rated in training.
              eddy recommend --model model --user 42 --n 5
              eddy recommend --model model --all-users > recommendations.jsonl
            """)

    @Option(
        help: ArgumentHelp("Model directory (or model file) written by eddy train als.", valueName: "dir"))
    var model: String

    @Option(
        help: ArgumentHelp("User id (an integer id, else a string id); repeat for several.", valueName: "id"))
    var user: [String] = []

    @Flag(help: "Recommend for every user in the model.")
    var allUsers = false

    @Option(help: "Items per user.")
    var n: Int = 10

    @Option(help: "Threads for --all-users.")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var dataDir: DataDirOptions  // accepted for symmetry with the other commands; unused

    func validate() throws {
        guard n >= 1 else { throw ValidationError("--n must be at least 1") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard allUsers != !user.isEmpty else {
            throw ValidationError("give --user ID or --all-users (one of them)")
        }
    }

    func run() throws {
        let loaded: ALSModel
        do {
            loaded = try ModelFile.read(path: model)
        } catch {
            throw CLIError.invalidArgument(error.description)
        }
        let out = OutputStream(descriptor: 1, capacity: 1 << 18)
        if allUsers {
            let all = loaded.recommendForAllUsers(n: n, workers: workers)
            for (u, items) in all.enumerated() {
                try out.write(Self.line(user: loaded.users.ids[u], items: items))
            }
        } else {
            for text in user {
                let id = Self.resolve(text, in: loaded)
                guard let items = loaded.recommend(user: id, n: n) else {
                    try out.flush()
                    throw CLIError.invalidArgument(
                        "user \(text) is not in the model (\(loaded.users.count) users; it had no ratings in training)"
                    )
                }
                try out.write(Self.line(user: id, items: items))
            }
        }
        try out.flush()
    }

    /// `42` names the integer id 42 when the model has it, else the string id "42".
    static func resolve(_ text: String, in model: ALSModel) -> ExternalID {
        let parsed = ExternalID(parsing: text)
        if model.users.index(of: parsed) == nil, case .int = parsed,
            model.users.index(of: .string(text)) != nil
        {
            return .string(text)
        }
        return parsed
    }

    static func line(user: ExternalID, items: [Recommendation]) -> String {
        var line = "{\"user_id\":\(user.json),\"items\":["
        for (position, item) in items.enumerated() {
            if position > 0 { line += "," }
            line +=
                "{\"item_id\":\(item.item.json),\"score\":\(item.score.isFinite ? "\(item.score)" : "null")}"
        }
        return line + "]}\n"
    }
}
