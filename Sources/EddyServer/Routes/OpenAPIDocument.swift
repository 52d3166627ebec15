import NIOCore

/// The API's OpenAPI 3.1 description, written by hand next to the routes and served at `/openapi.json`.
/// Tests check every response the API gives against it (path, status, required properties).
enum OpenAPIDocument {
    static let buffer = ByteBuffer(string: json)

    static let json = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Eddy API",
            "version": "0.1.0",
            "description": "Live results of Eddy's streaming pipelines: topics, pipelines, their live tables, the seeds' questions, live updates, metrics. Errors are JSON objects {error, message} with the matching status."
          },
          "servers": [{"url": "http://127.0.0.1:8080"}],
          "paths": {
            "/health": {
              "get": {
                "summary": "Liveness and a count of pipelines",
                "responses": {
                  "200": {"description": "The server is up", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}
                }
              }
            },
            "/metrics": {
              "get": {
                "summary": "Prometheus metrics (text exposition format 0.0.4)",
                "responses": {
                  "200": {"description": "Metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}
                }
              }
            },
            "/openapi.json": {
              "get": {
                "summary": "This document",
                "responses": {
                  "200": {"description": "OpenAPI 3.1 document", "content": {"application/json": {"schema": {"type": "object", "required": ["openapi", "paths"]}}}}
                }
              }
            },
            "/api/topics": {
              "get": {
                "summary": "All topics with partitions, offsets, sizes and rates",
                "responses": {
                  "200": {"description": "Topics", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TopicList"}}}},
                  "503": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/topics/{name}": {
              "get": {
                "summary": "One topic",
                "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                  "200": {"description": "The topic", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Topic"}}}},
                  "404": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/pipelines": {
              "get": {
                "summary": "All running pipelines with status, lag, rates, dead letters and tables",
                "responses": {
                  "200": {"description": "Pipelines", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PipelineList"}}}}
                }
              }
            },
            "/api/pipelines/{name}": {
              "get": {
                "summary": "One pipeline's status",
                "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                  "200": {"description": "The pipeline", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pipeline"}}}},
                  "404": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/pipelines/{name}/tables/{table}": {
              "get": {
                "summary": "Rows of a live output table",
                "parameters": [
                  {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"name": "table", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"name": "key", "in": "query", "description": "Rows with this key (comma-separated values for a composite key)", "schema": {"type": "string"}},
                  {"name": "orderBy", "in": "query", "description": "A column name; default key order", "schema": {"type": "string"}},
                  {"name": "desc", "in": "query", "schema": {"type": "boolean", "default": false}},
                  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1000}}
                ],
                "responses": {
                  "200": {"description": "The rows", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Table"}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "404": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/pipelines/{name}/stream": {
              "get": {
                "summary": "Live updates as server-sent events",
                "description": "Events: `table` (data: TableEvent) whenever a table changes, and for every table at the start; `status` (data: Pipeline) every second; a `: heartbeat` comment every 10 s.",
                "parameters": [
                  {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"name": "events", "in": "query", "description": "End the stream after this many events", "schema": {"type": "integer", "minimum": 1, "maximum": 1000000}},
                  {"name": "seconds", "in": "query", "description": "End the stream after this many seconds (EventSource reconnects after the `retry` of 1 s)", "schema": {"type": "integer", "minimum": 1, "maximum": 86400}}
                ],
                "responses": {
                  "200": {"description": "An event stream", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "404": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/retail/areas": {
              "get": {
                "summary": "Store areas with the most traffic (or dwell time) right now",
                "parameters": [
                  {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["traffic", "duration"], "default": "traffic"}},
                  {"name": "top", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 10}}
                ],
                "responses": {
                  "200": {"description": "Areas, best first", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Areas"}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "404": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/retail/windows": {
              "get": {
                "summary": "Traffic per area per event-time window, in time order",
                "parameters": [
                  {"name": "area", "in": "query", "schema": {"type": "string"}},
                  {"name": "since", "in": "query", "description": "ISO-8601 time or epoch milliseconds; windows starting at or after it", "schema": {"type": "string"}},
                  {"name": "limit", "in": "query", "description": "The most recent windows kept", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1000}}
                ],
                "responses": {
                  "200": {"description": "Windows", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Windows"}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "404": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/retail/customers/{id}": {
              "get": {
                "summary": "Where a customer spent time, per area",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                  "200": {"description": "The customer's areas", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}}},
                  "404": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/sales/products": {
              "get": {
                "summary": "Best-selling products",
                "parameters": [
                  {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["total_sales", "units"], "default": "total_sales"}},
                  {"name": "top", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 10}}
                ],
                "responses": {
                  "200": {"description": "Products, best first", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Products"}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "404": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/sales/products/{name}": {
              "get": {
                "summary": "One product's totals",
                "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                  "200": {"description": "The product", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Product"}}}},
                  "404": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/": {
              "get": {
                "summary": "The dashboard",
                "responses": {"200": {"description": "HTML page", "content": {"text/html": {"schema": {"type": "string"}}}}}
              }
            },
            "/dashboard.js": {
              "get": {
                "summary": "The dashboard's script",
                "responses": {"200": {"description": "JavaScript", "content": {"text/javascript": {"schema": {"type": "string"}}}}}
              }
            },
            "/dashboard.css": {
              "get": {
                "summary": "The dashboard's style sheet",
                "responses": {"200": {"description": "CSS", "content": {"text/css": {"schema": {"type": "string"}}}}}
              }
            }
          },
          "components": {
            "responses": {
              "Error": {"description": "An error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            },
            "schemas": {
              "Error": {
                "type": "object",
                "required": ["error", "message"],
                "properties": {
                  "error": {"type": "string", "description": "not_found, bad_parameter, method_not_allowed, log_unavailable, internal"},
                  "message": {"type": "string", "description": "What went wrong and what to do"},
                  "parameter": {"type": "string", "description": "For bad_parameter: the parameter at fault"}
                }
              },
              "Health": {
                "type": "object",
                "required": ["status", "pipelines", "failedPipelines"],
                "properties": {"status": {"type": "string"}, "pipelines": {"type": "integer"}, "failedPipelines": {"type": "integer"}}
              },
              "TopicList": {
                "type": "object", "required": ["topics"],
                "properties": {"topics": {"type": "array", "items": {"$ref": "#/components/schemas/Topic"}}}
              },
              "Topic": {
                "type": "object",
                "required": ["name", "partitionCount", "records", "bytes", "recordsPerSecond", "retentionMillis", "partitions"],
                "properties": {
                  "name": {"type": "string"},
                  "partitionCount": {"type": "integer"},
                  "records": {"type": "integer", "description": "Records retained (end − start offsets)"},
                  "bytes": {"type": "integer"},
                  "recordsPerSecond": {"type": "number", "description": "Append rate over the last seconds"},
                  "retentionMillis": {"type": ["integer", "null"]},
                  "partitions": {"type": "array", "items": {"$ref": "#/components/schemas/TopicPartition"}}
                }
              },
              "TopicPartition": {
                "type": "object",
                "required": ["partition", "startOffset", "endOffset", "records", "bytes", "segments", "recordsPerSecond"],
                "properties": {
                  "partition": {"type": "integer"}, "startOffset": {"type": "integer"}, "endOffset": {"type": "integer"},
                  "records": {"type": "integer"}, "bytes": {"type": "integer"}, "segments": {"type": "integer"},
                  "recordsPerSecond": {"type": "number"}
                }
              },
              "PipelineList": {
                "type": "object", "required": ["pipelines"],
                "properties": {"pipelines": {"type": "array", "items": {"$ref": "#/components/schemas/Pipeline"}}}
              },
              "Pipeline": {
                "type": "object",
                "required": ["name", "state", "sources", "recordsIn", "recordsOut", "recordsPerSecond", "lag", "deadLetters", "lateRecords", "checkpointAgeSeconds", "error", "lastBatch", "partitions", "tables", "recentDeadLetters"],
                "properties": {
                  "name": {"type": "string"},
                  "state": {"type": "string", "enum": ["starting", "running", "stopping", "stopped", "failed"]},
                  "sources": {"type": "array", "items": {"type": "string"}},
                  "recordsIn": {"type": "integer"},
                  "recordsOut": {"type": "integer"},
                  "recordsPerSecond": {"type": "number"},
                  "lag": {"type": "integer", "description": "Records not yet read, all partitions"},
                  "deadLetters": {"type": "integer"},
                  "lateRecords": {"type": "integer"},
                  "checkpointAgeSeconds": {"type": ["number", "null"]},
                  "error": {"type": ["string", "null"]},
                  "lastBatch": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Batch"}]},
                  "partitions": {"type": "array", "items": {"$ref": "#/components/schemas/PartitionProgress"}},
                  "tables": {"type": "array", "items": {"$ref": "#/components/schemas/TableSummary"}},
                  "recentDeadLetters": {"type": "array", "items": {"$ref": "#/components/schemas/DeadLetter"}}
                }
              },
              "Batch": {
                "type": "object", "required": ["id", "finishedAt", "durationMillis"],
                "properties": {"id": {"type": "integer"}, "finishedAt": {"type": "string", "format": "date-time"}, "durationMillis": {"type": "number"}}
              },
              "PartitionProgress": {
                "type": "object", "required": ["topic", "partition", "position", "endOffset", "lag"],
                "properties": {"topic": {"type": "string"}, "partition": {"type": "integer"}, "position": {"type": "integer"}, "endOffset": {"type": "integer"}, "lag": {"type": "integer"}}
              },
              "TableSummary": {
                "type": "object", "required": ["name", "rowCount", "version", "columns"],
                "properties": {"name": {"type": "string"}, "rowCount": {"type": "integer"}, "version": {"type": "integer"}, "columns": {"type": "array", "items": {"$ref": "#/components/schemas/Column"}}}
              },
              "DeadLetter": {
                "type": "object", "required": ["reason", "topic", "partition", "offset", "detail"],
                "properties": {"reason": {"type": "string"}, "topic": {"type": "string"}, "partition": {"type": "integer"}, "offset": {"type": "integer"}, "detail": {"type": "string", "description": "What exactly was wrong"}}
              },
              "Column": {
                "type": "object", "required": ["name", "type"],
                "properties": {"name": {"type": "string"}, "type": {"type": "string", "description": "bool, int, double, string, timestamp, decimal(s), array<…>, object"}}
              },
              "Row": {
                "type": "object", "description": "A row keyed by column name; decimals are exact JSON numbers, timestamps ISO-8601 UTC",
                "additionalProperties": true
              },
              "Table": {
                "type": "object", "required": ["pipeline", "table", "version", "rowCount", "columns", "keyColumns", "rows"],
                "properties": {
                  "pipeline": {"type": "string"}, "table": {"type": "string"},
                  "version": {"type": "integer", "description": "Changes whenever the table changes"},
                  "rowCount": {"type": "integer"},
                  "columns": {"type": "array", "items": {"$ref": "#/components/schemas/Column"}},
                  "keyColumns": {"type": "array", "items": {"type": "string"}},
                  "rows": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}}
                }
              },
              "TableEvent": {
                "type": "object", "required": ["pipeline", "table", "version", "rowCount", "truncated", "rows"],
                "properties": {
                  "pipeline": {"type": "string"}, "table": {"type": "string"}, "version": {"type": "integer"}, "rowCount": {"type": "integer"},
                  "truncated": {"type": "boolean", "description": "True when the table has more rows than the event carries (200)"},
                  "rows": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}}
                }
              },
              "Areas": {
                "type": "object", "required": ["version", "areas"],
                "properties": {"version": {"type": "integer"}, "areas": {"type": "array", "items": {"$ref": "#/components/schemas/Area"}}}
              },
              "Area": {
                "type": "object", "required": ["location", "total_traffic", "total_duration"],
                "properties": {"location": {"type": "string"}, "total_traffic": {"type": "integer"}, "total_duration": {"type": "number"}, "avg_duration": {"type": "number"}}
              },
              "Windows": {
                "type": "object", "required": ["version", "windows"],
                "properties": {"version": {"type": "integer"}, "windows": {"type": "array", "items": {"$ref": "#/components/schemas/Window"}}}
              },
              "Window": {
                "type": "object", "required": ["window_start", "location"],
                "properties": {"window_start": {"type": "string", "format": "date-time"}, "window_end": {"type": "string", "format": "date-time"}, "location": {"type": "string"}, "traffic": {"type": "integer"}, "readings": {"type": "integer"}}
              },
              "Customer": {
                "type": "object", "required": ["customer", "version", "areas"],
                "properties": {"customer": {"type": "string"}, "version": {"type": "integer"}, "areas": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}}}
              },
              "Products": {
                "type": "object", "required": ["version", "products"],
                "properties": {"version": {"type": "integer"}, "products": {"type": "array", "items": {"$ref": "#/components/schemas/Product"}}}
              },
              "Product": {
                "type": "object", "required": ["product_name", "total_sales"],
                "properties": {"product_name": {"type": "string"}, "total_sales": {"type": "number", "description": "Exact decimal: Σ quantity × price"}, "units": {"type": "integer"}, "orders": {"type": "integer"}}
              }
            }
          }
        }
        """#
}
