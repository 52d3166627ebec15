public import EddyStream

/// Seed 002's Structured Streaming job, plus the business question's follow-ups, as one pipeline over topic
/// `motion`:
///
/// - `areas` — per location: total_duration, total_traffic, avg_duration (complete mode, the seed's table);
/// - `windows` — traffic per location per 1-minute event-time window (update mode, watermark 5 minutes);
/// - `customers` — dwell time per customer per location (update mode);
/// - `top` — the busiest locations by traffic (complete mode, top N).
///
/// Every table is also a ``LiveTable`` for the API; `display` picks the one printed.
///
/// ```swift
/// let retail = RetailPipeline()
/// let runner = try PipelineRunner(retail.pipeline(display: .areas, to: .console), log: log,
///                                 dataDirectory: "./eddy-data")
/// try await runner.run()
/// retail.areas.query(orderBy: "total_traffic", descending: true, limit: 3)
/// ```
public struct RetailPipeline: Sendable {
    /// The tables a run produces; `display` chooses which one goes to the console.
    public enum Output: String, Sendable, CaseIterable {
        case areas, windows, customers, top
    }

    /// The seed's schema (`esquema_dados_movimento`); `timestamp` is parsed from ISO-8601 into event time.
    public static let schema: Schema = [
        Column("timestamp", .timestamp),
        Column("id_sensor", .string),
        Column("location", .string),
        Column("customer_id", .string),
        Column("movement_detected", .bool),
        Column("duration", .double),
        Column("traffic_count", .int),
    ]

    public var name: String
    public var topic: String
    public var topN: Int
    public var windowSize: Duration
    public var allowedLateness: Duration
    public let areas: LiveTable
    public let windows: LiveTable
    public let customers: LiveTable
    public let top: LiveTable

    public init(
        name: String = "retail", topic: String = "motion", topN: Int = 3, windowSize: Duration = .minutes(1),
        allowedLateness: Duration = .minutes(5)
    ) {
        self.name = name
        self.topic = topic
        self.topN = topN
        self.windowSize = windowSize
        self.allowedLateness = allowedLateness
        areas = LiveTable("areas")
        windows = LiveTable("windows")
        customers = LiveTable("customers")
        top = LiveTable("top")
    }

    public var liveTables: [LiveTable] { [areas, windows, customers, top] }

    /// The seed's query alone (one output), which the benchmark and the fast path run.
    public func areasPipeline(to sink: some Sink) -> Pipeline {
        Self.areasQuery(
            Pipeline(name).source(topic: topic, schema: Self.schema)
                .filter(col("duration").isNotNull && col("location").isNotNull)
        )
        .output("areas", mode: .complete, to: sink)
    }

    /// Readings counted per location (every reading, nulls included): a table whose counts add up to the
    /// records processed, which the latency benchmark watches.
    public static func areasCountPipeline(topic: String, into table: LiveTable) -> Pipeline {
        Pipeline("retail-latency").source(topic: topic, schema: schema)
            .groupBy("location").count()
            .output("areas", mode: .update, to: table)
    }

    /// groupBy location → the seed's three aggregates, over readings already filtered.
    static func areasQuery(_ readings: Pipeline) -> Pipeline {
        readings
            .groupBy("location")
            .aggregate(
                .sum("duration", as: "total_duration"),
                .sum("traffic_count", as: "total_traffic"),
                .avg("duration", as: "avg_duration"))
    }

    /// All four tables; `display` also goes to `sink` (the console or JSON lines), when given.
    public func pipeline(display: Output?, to sink: (any Sink)?) -> Pipeline {
        func target(_ output: Output, _ table: LiveTable) -> any Sink {
            guard output == display, let sink else { return table }
            return FanOutSink(table, sink)
        }
        let readings = Pipeline(name).source(topic: topic, schema: Self.schema)
            .filter(col("duration").isNotNull && col("location").isNotNull)
        return
            readings
            .fork {
                Self.areasQuery($0).output("areas", mode: .complete, to: target(.areas, areas))
            }
            .fork {
                $0.withWatermark("timestamp", delay: allowedLateness)
                    .groupBy(.tumbling(on: "timestamp", size: windowSize), "location")
                    .aggregate(.sum("traffic_count", as: "traffic"), .count(as: "readings"))
                    .output("windows", mode: .update, to: target(.windows, windows))
            }
            .fork {
                $0.groupBy("customer_id", "location")
                    .aggregate(.sum("duration", as: "dwell_time"), .count(as: "visits"))
                    .output("customers", mode: .update, to: target(.customers, customers))
            }
            .fork {
                $0.groupBy("location")
                    .aggregate(
                        .sum("traffic_count", as: "total_traffic"), .sum("duration", as: "total_duration")
                    )
                    .orderBy(.descending("total_traffic"))
                    .limit(topN)
                    .output("top", mode: .complete, to: target(.top, top))
            }
    }
}
