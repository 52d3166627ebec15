public import EddyServer
import OpenAPIKit

extension SongsApp {
    public var openAPI: OpenAPIFragment {
        var responses: OpenAPI.Response.Map = [
            200: .response(
                description: "The user's recommendations after the like",
                content: .json("SongRecommendations"))
        ]
        for status in [400, 404, 413] {
            responses[OpenAPI.Response.StatusCode(integerLiteral: status)] = .reference(
                .component(named: "Error"))
        }
        let like = OpenAPI.Operation(
            summary: "Add (or take back) a like of a track",
            description:
                "Appends the like to topic `likes` and answers once the recommendations include it. Bodies over 64 KiB are refused with 413.",
            parameters: [.parameter(.path("id"))],
            requestBody: .request(OpenAPI.Request(content: .json("LikeRequest"))),
            responses: responses)
        return OpenAPIFragment(
            paths: [
                "/api/users/{id}/song-recommendations": .get(
                    "A user's most similar tracks they have not liked (content-based)",
                    parameters: [.path("id"), .query("n", .integer(1...1000, default: 10))],
                    ok: "Recommendations, best first, with the taste profile", .json("SongRecommendations"),
                    errors: [400, 404]),
                "/api/users/{id}/likes": .pathItem(OpenAPI.PathItem(post: like)),
            ],
            schemas: [
                "LikeRequest": .object(properties: [
                    "track_id": .string(minLength: 1),
                    "liked_at": .string(format: .dateTime, required: false),
                    "unliked": .boolean(required: false),
                ]),
                "SongTrack": .object(properties: [
                    "track_id": .string, "track_name": .string, "artists": .array(items: .string),
                    "album": .string, "genre": .string(required: false, nullable: true),
                ]),
                "SongRecommendations": .object(properties: [
                    "user_id": .string,
                    "catalogue_tracks": .integer,
                    "items": .array(
                        items: .object(properties: [
                            "track_id": .string, "track_name": .string, "artists": .array(items: .string),
                            "album": .string, "genre": .string(required: false, nullable: true),
                            "similarity": .number(description: "Weighted cosine to the taste profile, -1…1"),
                            "score": .number(description: "Ranking score: profile, nearest likes, metadata"),
                            "features": .object(description: "Normalised audio features"),
                            "because": .object(
                                description:
                                    "Why: nearest_liked {track_id, track_name, similarity}, liked_artist_share, liked_album_share"
                            ),
                        ])),
                    "liked": .arrayOf("SongTrack"),
                    "not_in_catalogue": .array(items: .string),
                    "profile": .object(description: "Mean normalised features of the liked tracks"),
                    "feature_weights": .object(description: "What the likes say matters, mean 1"),
                ]),
            ])
    }
}
