import ArgumentParser

/// `eddy train <algorithm>`: offline training and evaluation of recommendation models.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a recommendation model from ratings and evaluate it on held-out ratings.",
        subcommands: [TrainALSCommand.self])
}
