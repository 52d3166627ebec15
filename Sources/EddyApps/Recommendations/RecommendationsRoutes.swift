import EddyML
public import EddyServer
import EddyStream
public import Hummingbird

/// FastAPI's role in seed 001: a user's recommendations by id, answered from the model in memory.
extension RecommendationsApp {
    public func routes(_ api: APIContext) -> RouteCollection<BasicRequestContext> {
        let routes = RouteCollection(context: BasicRequestContext.self)
        let pipeline = name
        routes.get("/api/users/{id}/recommendations") { request, context in
            let id = ExternalID(parsing: try context.pathParameter("id"))
            let n = try QueryParameters(request).integer("n", in: 1...1000, default: 10)!
            guard let handle = try api.pipeline(pipeline) as? RecommendationHandle else {
                throw APIError.notFound("pipeline '\(pipeline)' is not a recommendations pipeline")
            }
            guard let model = handle.trainer.models.current else {
                throw APIError(
                    status: .serviceUnavailable, code: "no_model",
                    message: "no model has been trained yet; ratings are still arriving")
            }
            guard let items = model.recommend(user: id, n: n) else {
                throw APIError.notFound(
                    "user '\(id)' has no ratings in model version \(model.metadata.version)")
            }
            var json = JSONWriter(capacity: 64 + items.count * 48)
            json.object { json in
                json.field("user_id") { json in
                    switch id {
                    case .int(let value): json.int(value)
                    case .string(let value): json.string(value)
                    }
                }
                json.field("model_version") { $0.int(model.metadata.version) }
                json.field("items") { json in
                    json.array { json in
                        for item in items {
                            json.object { json in
                                json.field("item_id") { json in
                                    switch item.item {
                                    case .int(let value): json.int(value)
                                    case .string(let value): json.string(value)
                                    }
                                }
                                json.field("score") { $0.double(Double(item.score)) }
                                if let title = handle.titles?[item.item] {
                                    json.field("title") { $0.string(title) }
                                }
                            }
                        }
                    }
                }
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes)))
        }
        return routes
    }
}
