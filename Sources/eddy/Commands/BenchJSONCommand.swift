import ArgumentParser
import EddyBenchmarks

/// `eddy bench json`: decoding seed 002's motion readings, Foundation's decoder against Eddy's scanner.
struct BenchJSONCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json",
        abstract: "Measure JSON decoding of motion readings: JSONDecoder, JSONRowDecoder and JSONScanner.",
        discussion:
            "Decodes generated seed 002 readings held in one buffer, on one core, and checks every result against the generator's totals."
    )

    @Option(help: "Readings to decode.")
    var records: Int = 2_000_000

    func validate() throws {
        guard records > 0 else { throw ValidationError("--records must be positive") }
    }

    func run() throws {
        print(JSONBenchmark.run(records: records))
    }
}
