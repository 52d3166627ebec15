import OpenAPIKit

/// The server's own part of the OpenAPI document: health, metrics, topics, pipelines, their tables and
/// live updates, the dashboard's files, and the schemas they share (`Error`, `Row`, `Column`, …) that
/// modules may reference.
enum ServerAPIDescription {
    static var fragment: OpenAPIFragment {
        OpenAPIFragment(paths: paths, schemas: schemas)
    }

    static let tableLimit = JSONSchema.integer(1...EddyServer.maxTableLimit, default: 1000)

    static var paths: OpenAPI.PathItem.Map {
        [
            "/health": .get("Liveness and a count of pipelines", ok: "The server is up", .json("Health")),
            "/metrics": .get(
                "Prometheus metrics (text exposition format 0.0.4)", ok: "Metrics", .text(.txt)),
            "/openapi.json": .get(
                "This document", ok: "OpenAPI document",
                [
                    .json: .b(
                        OpenAPI.Content(schema: .object(properties: ["openapi": .string, "paths": .object])))
                ]),
            "/api/topics": .get(
                "All topics with partitions, offsets, sizes and rates", ok: "Topics", .json("TopicList"),
                errors: [503]),
            "/api/topics/{name}": .get(
                "One topic", parameters: [.path("name")], ok: "The topic", .json("Topic"), errors: [404]),
            "/api/pipelines": .get(
                "All running pipelines with status, lag, rates, dead letters, tables and dashboard panels",
                ok: "Pipelines", .json("PipelineList")),
            "/api/pipelines/{name}": .get(
                "One pipeline's status", parameters: [.path("name")], ok: "The pipeline", .json("Pipeline"),
                errors: [404]),
            "/api/pipelines/{name}/tables/{table}": .get(
                "Rows of a live output table",
                parameters: [
                    .path("name"), .path("table"),
                    .query("key", .string, "Rows with this key (comma-separated values for a composite key)"),
                    .query("orderBy", .string, "A column name; default key order"),
                    .query("desc", .boolean(defaultValue: false)),
                    .query("limit", tableLimit),
                ],
                ok: "The rows", .json("Table"), errors: [400, 404]),
            "/api/pipelines/{name}/stream": .get(
                "Live updates as server-sent events",
                description:
                    "Events: `table` (data: TableEvent) whenever a table changes, and for every table at the start; `status` (data: Pipeline) every second; a `: heartbeat` comment every 10 s.",
                parameters: [
                    .path("name"),
                    .query("events", .integer(1...1_000_000), "End the stream after this many events"),
                    .query(
                        "seconds", .integer(1...86_400),
                        "End the stream after this many seconds (EventSource reconnects after the `retry` of 1 s)"
                    ),
                ],
                ok: "An event stream", .eventStream(events: ["table", "status"]), errors: [400, 404]),
            "/": .get("The dashboard", ok: "HTML page", .text(.html)),
            "/dashboard.js": .get(
                "The dashboard's script", ok: "JavaScript", .text(.other("text/javascript"))),
            "/dashboard.css": .get("The dashboard's style sheet", ok: "CSS", .text(.css)),
        ]
    }

    static var schemas: OpenAPI.ComponentDictionary<JSONSchema> {
        [
            "Error": .object(properties: [
                "error": .string(
                    description: "not_found, bad_parameter, method_not_allowed, log_unavailable, internal"),
                "message": .string(description: "What went wrong and what to do"),
                "parameter": .string(
                    required: false, description: "For bad_parameter: the parameter at fault"),
            ]),
            "Health": .object(properties: [
                "status": .string, "pipelines": .integer, "failedPipelines": .integer,
            ]),
            "TopicList": .object(properties: ["topics": .arrayOf("Topic")]),
            "Topic": .object(properties: [
                "name": .string,
                "partitionCount": .integer,
                "records": .integer(description: "Records retained (end − start offsets)"),
                "bytes": .integer,
                "recordsPerSecond": .number(description: "Append rate over the last seconds"),
                "retentionMillis": .integer(nullable: true),
                "partitions": .arrayOf("TopicPartition"),
            ]),
            "TopicPartition": .object(properties: [
                "partition": .integer, "startOffset": .integer, "endOffset": .integer, "records": .integer,
                "bytes": .integer, "segments": .integer, "recordsPerSecond": .number,
            ]),
            "PipelineList": .object(properties: ["pipelines": .arrayOf("Pipeline")]),
            "Pipeline": .object(properties: [
                "name": .string,
                "state": .string(allowedValues: "starting", "running", "stopping", "stopped", "failed"),
                "sources": .array(items: .string),
                "recordsIn": .integer,
                "recordsOut": .integer,
                "recordsPerSecond": .number,
                "lag": .integer(description: "Records not yet read, all partitions"),
                "deadLetters": .integer,
                "lateRecords": .integer,
                "checkpointAgeSeconds": .number(nullable: true),
                "error": .string(nullable: true),
                "lastBatch": .one(of: [.null(), .ref("Batch")]),
                "partitions": .arrayOf("PartitionProgress"),
                "tables": .arrayOf("TableSummary"),
                "recentDeadLetters": .arrayOf("DeadLetter"),
                "panels": .arrayOf("Panel"),
            ]),
            "Batch": .object(properties: [
                "id": .integer, "finishedAt": .string(format: .dateTime), "durationMillis": .number,
            ]),
            "PartitionProgress": .object(properties: [
                "topic": .string, "partition": .integer, "position": .integer, "endOffset": .integer,
                "lag": .integer,
            ]),
            "TableSummary": .object(properties: [
                "name": .string, "rowCount": .integer, "version": .integer, "columns": .arrayOf("Column"),
            ]),
            "DeadLetter": .object(properties: [
                "reason": .string, "topic": .string, "partition": .integer, "offset": .integer,
                "detail": .string(description: "What exactly was wrong"),
                "value": .string(description: "The start of the bad record's value (at most 200 bytes)"),
            ]),
            "Panel": .object(
                description: "A dashboard panel the pipeline's app declares for one of its tables",
                properties: [
                    "pipeline": .string, "table": .string, "title": .string,
                    "chart": .object(properties: [
                        "kind": .string(allowedValues: DashboardPanel.Chart.kinds.map { AnyCodable($0) }),
                        "label": .string(required: false), "value": .string(required: false),
                        "time": .string(required: false), "series": .string(required: false),
                        "orderBy": .string(required: false), "name": .string(required: false),
                        "preview": .string(required: false),
                        "values": .array(required: false, items: .string),
                    ]),
                    "limit": .integer, "wide": .boolean,
                    "numberStyle": .string(allowedValues: "number", "money"),
                    "accent": .string(required: false),
                    "pick": .string(
                        required: false,
                        description: "A column the viewer picks one value of (shared by panels)"),
                ]),
            "Column": .object(properties: [
                "name": .string,
                "type": .string(
                    description: "bool, int, double, string, timestamp, decimal(s), array<…>, object"),
            ]),
            "Row": .object(
                description:
                    "A row keyed by column name; decimals are exact JSON numbers, timestamps ISO-8601 UTC with microseconds",
                additionalProperties: .a(true)),
            "Table": .object(properties: [
                "pipeline": .string, "table": .string,
                "version": .integer(description: "Changes whenever the table changes"),
                "rowCount": .integer,
                "columns": .arrayOf("Column"),
                "keyColumns": .array(items: .string),
                "rows": .arrayOf("Row"),
            ]),
            "TableEvent": .object(properties: [
                "pipeline": .string, "table": .string, "version": .integer, "rowCount": .integer,
                "truncated": .boolean(
                    description: "True when the table has more rows than the event carries (200)"),
                "rows": .arrayOf("Row"),
            ]),
        ]
    }
}
