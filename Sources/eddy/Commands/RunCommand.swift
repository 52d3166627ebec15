import ArgumentParser

/// `eddy run <pipeline>`: runs one of the seed pipelines. (Minimal parent; the CLI branch owns the full one.)
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a seed pipeline.",
        subcommands: [RunRetail.self, RunSales.self])
}
