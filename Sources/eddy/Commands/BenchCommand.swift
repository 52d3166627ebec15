import ArgumentParser

/// `eddy bench <name>`: the benchmarks whose figures go into BENCHMARKS.md.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark and print its figures (build with -c release for meaningful numbers).",
        subcommands: [
            BenchALSCommand.self, BenchCheckpointCommand.self, BenchHTTPCommand.self, BenchJSONCommand.self,
            BenchKafkaCommand.self,
            BenchLogCommand.self,
            BenchParquetCommand.self, BenchProduceCommand.self, BenchRetailCommand.self,
            BenchSalesCommand.self, BenchSongsCommand.self, BenchSQLCommand.self,
        ])
}
