import EddyML
public import EddyServer
import EddyStream
import Foundation
public import Hummingbird

/// A user's song recommendations by id, and likes added from a page.
extension SongsApp {
    public func routes(_ api: APIContext) -> RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        let pipeline = name
        @Sendable func service() throws(APIError) -> SongsService {
            guard let handle = try api.pipeline(pipeline) as? SongsHandle else {
                throw APIError.notFound("pipeline '\(pipeline)' is not a songs pipeline")
            }
            return handle.service
        }

        routes.get("/api/users/{id}/song-recommendations") { request, context in
            let user = try context.pathParameter("id")
            let n = try QueryParameters(request).integer("n", in: 1...1000, default: 10)!
            guard let answer = try service().recommendations(for: user, n: n) else {
                throw APIError.notFound("user '\(user)' has liked no tracks yet")
            }
            return Self.response(answer)
        }

        routes.post("/api/users/{id}/likes") { request, context in
            let user = try context.pathParameter("id")
            let songs = try service()
            let body = try await request.body.collect(upTo: 64 * 1024)
            let event: SongRecords.LikeEvent
            switch SongRecords.like(from: Array(buffer: body), user: user) {
            case .success(let parsed): event = parsed
            case .failure(let problem):
                throw APIError(status: .badRequest, code: "bad_body", message: problem.description)
            }
            guard event.unliked || songs.hasTrack(event.trackID) else {
                throw APIError.notFound("track '\(event.trackID)' is not in the catalogue")
            }
            var stamped = event
            if !stamped.unliked, stamped.likedAt == nil {
                stamped.likedAt = Int64(Date().timeIntervalSince1970 * 1_000_000)
            }
            _ = try await songs.append(stamped)
            let answer = songs.recommendations(for: user, n: 10)
            return Self.response(
                answer
                    ?? SongsService.Answer(
                        userID: user, items: [], liked: [], missing: [], profile: [], featureWeights: [],
                        featureNames: [], catalogueSize: 0))
        }
        return routes
    }

    static func response(_ answer: SongsService.Answer) -> Response {
        var json = JSONWriter(capacity: 256 + answer.items.count * 400)
        json.object { json in
            json.field("user_id") { $0.string(answer.userID) }
            json.field("catalogue_tracks") { $0.int(answer.catalogueSize) }
            json.field("items") { json in
                json.array { json in
                    for item in answer.items {
                        json.object { json in
                            trackFields(item.track, into: &json)
                            json.field("similarity") { $0.double(item.similarity) }
                            json.field("score") { $0.double(item.score) }
                            json.field("because") { json in
                                json.object { json in
                                    if let nearest = item.nearestLiked {
                                        json.field("nearest_liked") { json in
                                            json.object { json in
                                                json.field("track_id") { $0.string(nearest.id) }
                                                json.field("track_name") { $0.string(nearest.name) }
                                                json.field("similarity") { $0.double(item.nearestSimilarity) }
                                            }
                                        }
                                    }
                                    json.field("liked_artist_share") { $0.double(item.artistShare) }
                                    json.field("liked_album_share") { $0.double(item.albumShare) }
                                }
                            }
                            json.field("features") { json in
                                json.object { json in
                                    for (name, value) in zip(answer.featureNames, item.features) {
                                        json.field(name) { $0.double(value) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            json.field("liked") { json in
                json.array { json in
                    for track in answer.liked { json.object { trackFields(track, into: &$0) } }
                }
            }
            json.field("not_in_catalogue") { json in
                json.array { json in for id in answer.missing { json.string(id) } }
            }
            json.field("profile") { json in
                json.object { json in
                    for (name, value) in zip(answer.featureNames, answer.profile) {
                        json.field(name) { $0.double(value) }
                    }
                }
            }
            json.field("feature_weights") { json in
                json.object { json in
                    for (name, value) in zip(answer.featureNames, answer.featureWeights) {
                        json.field(name) { $0.double(value) }
                    }
                }
            }
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }

    private static func trackFields(_ track: Track, into json: inout JSONWriter) {
        json.field("track_id") { $0.string(track.id) }
        json.field("track_name") { $0.string(track.name) }
        json.field("artists") { json in
            json.array { json in for artist in track.artists { json.string(artist) } }
        }
        json.field("album") { $0.string(track.album) }
        json.field("genre") { $0.string(track.genre) }
    }
}
