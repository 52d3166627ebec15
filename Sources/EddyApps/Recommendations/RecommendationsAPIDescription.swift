public import EddyServer
import OpenAPIKit

extension RecommendationsApp {
    public var openAPI: OpenAPIFragment {
        OpenAPIFragment(
            paths: [
                "/api/users/{id}/recommendations": .get(
                    "A user's top-N items from the current ALS model",
                    parameters: [.path("id"), .query("n", .integer(1...1000, default: 10))],
                    ok: "Recommendations, best first", .json("Recommendations"), errors: [400, 404, 503])
            ],
            schemas: [
                "Recommendations": .object(properties: [
                    "user_id": .one(of: [.integer, .string]),
                    "model_version": .integer,
                    "items": .array(
                        items: .object(properties: [
                            "item_id": .one(of: [.integer, .string]), "score": .number,
                            "title": .string(
                                description: "when the app was given an item catalogue (`items`)"),
                        ])),
                ])
            ])
    }
}
