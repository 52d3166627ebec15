public import OpenAPIKit

// Short forms for the shapes Eddy's API uses again and again: a GET with parameters, a JSON body that is a
// named schema, the shared `Error` response. They keep each route's description to a few lines next to it.

extension Either<OpenAPI.Reference<OpenAPI.PathItem>, OpenAPI.PathItem> {
    /// A path with one GET operation answering 200 with `content`, and the shared error response for each
    /// status in `errors`.
    public static func get(
        _ summary: String, description: String? = nil, parameters: [OpenAPI.Parameter] = [],
        ok okDescription: String, _ content: OpenAPI.Content.Map, errors: [Int] = []
    ) -> Self {
        var responses: OpenAPI.Response.Map = [200: .response(description: okDescription, content: content)]
        for status in errors {
            responses[OpenAPI.Response.StatusCode(integerLiteral: status)] = .reference(
                .component(named: "Error"))
        }
        let operation = OpenAPI.Operation(
            summary: summary, description: description, parameters: parameters.map { .parameter($0) },
            responses: responses)
        return .pathItem(OpenAPI.PathItem(get: operation))
    }
}

extension OpenAPI.Content.Map {
    /// `application/json` whose schema is the component `schema`.
    public static func json(_ schema: String) -> Self {
        [.json: .b(OpenAPI.Content(schemaReference: .component(named: schema)))]
    }

    /// `text/event-stream` whose events (as an SSE parser sees them: `event`, `data`, `id`, `retry`) are
    /// named one of `events` and carry JSON text as their data.
    public static func eventStream(events: [String]) -> Self {
        let event = JSONSchema.object(
            required: true,
            properties: [
                "event": .string(allowedValues: events.map { AnyCodable($0) }),
                "data": .string(contentMediaType: .json),
                "id": .string(required: false),
                "retry": .integer(required: false),
            ])
        return [.other("text/event-stream"): .b(OpenAPI.Content(schema: event))]
    }

    /// A body of `type` (text/html, text/event-stream, …) that is a string.
    public static func text(_ type: OpenAPI.ContentType) -> Self {
        [type: .b(OpenAPI.Content(schema: .string))]
    }
}

extension OpenAPI.Parameter {
    /// A required path parameter that is a string.
    public static func path(_ name: String) -> Self {
        .path(name: name, schema: .string)
    }

    /// An optional query parameter.
    public static func query(_ name: String, _ schema: JSONSchema, _ description: String? = nil) -> Self {
        .query(name: name, schema: schema, description: description)
    }
}

extension JSONSchema {
    /// A reference to the component schema `name`.
    public static func ref(_ name: String) -> JSONSchema {
        .reference(.component(named: name))
    }

    /// An array of the component schema `name`.
    public static func arrayOf(_ name: String) -> JSONSchema {
        .array(items: .ref(name))
    }

    /// An integer query parameter's schema: bounds and a default.
    public static func integer(_ range: ClosedRange<Int>, default fallback: Int? = nil) -> JSONSchema {
        .integer(
            maximum: (range.upperBound, exclusive: false), minimum: (range.lowerBound, exclusive: false),
            defaultValue: fallback.map { AnyCodable($0) })
    }

    /// A point in time as the API's `since=` parameters take it: an ISO-8601 (RFC 3339) time, or epoch
    /// milliseconds; empty means none.
    public static var instant: JSONSchema {
        .any(of: [
            .string(format: .dateTime), .string(pattern: "^[0-9]{0,15}$"),
        ])
    }

    /// One of `choices`, with a default.
    public static func choice(_ choices: [String], default fallback: String) -> JSONSchema {
        .string(allowedValues: choices.map { AnyCodable($0) }, defaultValue: AnyCodable(fallback))
    }
}
