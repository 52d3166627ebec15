import ArgumentParser
import EddyApps
import EddySpotify
import Foundation

/// `eddy spotify likes --to likes`: the user's saved tracks, appended as likes.
struct SpotifyLikesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "likes",
        abstract: "Append your Spotify liked songs (GET /v1/me/tracks) to a topic as likes.",
        discussion: """
            Pages through the library 50 tracks at a time, refreshing the token when it has expired and \
            waiting out 429 Retry-After. Tracks the catalogue topic does not have are counted and listed \
            (they are appended anyway: the catalogue may get them later).
            """)

    @OptionGroup var dataDir: DataDirOptions
    @OptionGroup var spotify: SpotifyOptions

    @OptionGroup var destination: LikesDestinationOptions

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    func run() async throws {
        let store = spotify.store(dataDirectory: dataDir.path)
        let saved: [SavedTrack]
        do {
            let token = try store.load()
            let configuration = try spotify.configuration(clientID: token.clientID)
            let library = SpotifyLibrary(
                authorization: SpotifyAuthorization(configuration: configuration), store: store)
            saved = try await library.savedTracks(
                progress: { count in printError("\(count) liked tracks read") },
                rateLimited: { seconds in
                    printError(
                        "Spotify asks to slow down (429); waiting \(Self.seconds(seconds)) s as its Retry-After says"
                    )
                })
        } catch let error as SpotifyError {
            throw error.withHint
        }
        let likes = saved.map { track in
            LikesAppender.Like(
                trackID: track.id, likedAt: track.addedAt,
                label: "\(track.name) — \(track.artists.joined(separator: ", "))")
        }
        try LikesAppender(dataDir: dataDir, topic: destination.to, catalogue: destination.catalogue).append(
            likes, user: destination.user)
    }
}
