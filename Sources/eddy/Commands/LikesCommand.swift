import ArgumentParser
import EddyApps
import EddySpotify
import Foundation

/// `eddy likes import FILE`: likes from a Spotify data export or a CSV of track ids.
struct LikesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "likes", abstract: "Add likes to the songs app's topic from files.",
        subcommands: [LikesImportCommand.self])
}

struct LikesImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append likes from a Spotify YourLibrary.json or a CSV of track ids.",
        discussion: """
            YourLibrary.json (Spotify's privacy data export): each entry of "tracks" with a spotify:track: \
            uri. CSV: the track_id column, else the first; ids, spotify:track: URIs and open.spotify.com \
            links all work.
              eddy likes import YourLibrary.json --user me
            """)

    @OptionGroup var dataDir: DataDirOptions

    @Argument(help: ArgumentHelp("YourLibrary.json or a CSV file.", valueName: "file"))
    var file: String

    @OptionGroup var destination: LikesDestinationOptions

    func run() async throws {
        let ids: [String]
        do {
            ids = try SpotifyExport.trackIDs(fromFile: file)
        } catch {
            throw CLIError.invalidArgument(error.description)
        }
        guard !ids.isEmpty else { throw CLIError.invalidArgument("\(file) holds no Spotify track ids") }
        try LikesAppender(dataDir: dataDir, topic: destination.to, catalogue: destination.catalogue).append(
            ids.map { LikesAppender.Like(trackID: $0, likedAt: nil, label: $0) }, user: destination.user)
    }
}
