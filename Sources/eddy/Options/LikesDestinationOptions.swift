import ArgumentParser
import EddyApps

/// Where imported likes go, shared by `eddy likes import` and `eddy spotify likes`.
struct LikesDestinationOptions: ParsableArguments {
    @Option(help: "The topic of likes.")
    var to: String = SongsApp.likesTopic

    @Option(help: "The user_id the likes are for.")
    var user: String = "me"

    @Option(help: "The catalogue topic to check the tracks against.")
    var catalogue: String = SongsApp.songsTopic
}
