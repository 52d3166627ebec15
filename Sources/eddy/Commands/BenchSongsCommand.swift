import ArgumentParser
import EddyApps
import EddyBenchmarks

/// `eddy bench songs`: seed 000's speed targets — catalogue ingest, top-10 over 6k and 1M tracks beside
/// numpy, like → updated recommendations.
struct BenchSongsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "songs",
        abstract:
            "Time song recommendations: ingest, top-10 over 6k and 1M tracks (beside numpy), like → update.",
        discussion: """
            Needs the real catalogue (\(SongCatalogueSource.datasetPath), or --parquet). numpy runs with \
            --python (python3 -m venv .build/venv && .build/venv/bin/pip install numpy); without it that \
            column is skipped. Build with -c release.
            """)

    @Option(help: ArgumentHelp("The catalogue: spotify_by_genre.parquet.", valueName: "file"))
    var parquet: String = SongCatalogueSource.locate() ?? SongCatalogueSource.datasetPath

    @Option(help: "Synthetic tracks for the large catalogue (0: skip).")
    var syntheticTracks: Int = 1_000_000

    @Option(help: ArgumentHelp("Python with numpy (none: skip numpy).", valueName: "path"))
    var python: String = ".build/venv/bin/python"

    func validate() throws {
        guard syntheticTracks >= 0 else { throw ValidationError("--synthetic-tracks must be 0 or more") }
    }

    func run() async throws {
        var options = SongsBenchmark.Options(parquet: parquet)
        options.syntheticTracks = syntheticTracks
        options.python = python == "none" ? nil : python
        do {
            try await SongsBenchmark.run(options) { print($0) }
        } catch {
            throw CLIError.invalidArgument("bench songs: \(error)")
        }
    }
}
