public import EddyServer
import OpenAPIKit

extension RetailApp {
    public var openAPI: OpenAPIFragment {
        OpenAPIFragment(
            paths: [
                "/api/retail/areas": .get(
                    "Store areas with the most traffic (or dwell time) right now",
                    parameters: [
                        .query("order", .choice(["traffic", "duration"], default: "traffic")),
                        .query("top", .integer(1...1000, default: 10)),
                    ],
                    ok: "Areas, best first", .json("Areas"), errors: [400, 404]),
                "/api/retail/windows": .get(
                    "Traffic per area per event-time window, in time order",
                    parameters: [
                        .query("area", .string),
                        .query(
                            "since", .instant,
                            "ISO-8601 time or epoch milliseconds; windows starting at or after it"),
                        .query("limit", .integer(1...10_000, default: 1000), "The most recent windows kept"),
                    ],
                    ok: "Windows", .json("Windows"), errors: [400, 404]),
                "/api/retail/customers/{id}": .get(
                    "Where a customer spent time, per area", parameters: [.path("id")],
                    ok: "The customer's areas", .json("Customer"), errors: [404]),
            ],
            schemas: [
                "Areas": .object(properties: ["version": .integer, "areas": .arrayOf("Area")]),
                "Area": .object(properties: [
                    "location": .string, "total_traffic": .integer, "total_duration": .number,
                    "avg_duration": .number(required: false),
                ]),
                "Windows": .object(properties: ["version": .integer, "windows": .arrayOf("Window")]),
                "Window": .object(properties: [
                    "window_start": .string(format: .dateTime),
                    "window_end": .string(format: .dateTime, required: false),
                    "location": .string,
                    "traffic": .integer(required: false),
                    "readings": .integer(required: false),
                ]),
                "Customer": .object(properties: [
                    "customer": .string, "version": .integer, "areas": .arrayOf("Row"),
                ]),
            ])
    }
}
