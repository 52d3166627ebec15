public import EddyConnectors
public import EddyStream

/// Seed 003's Spark job: explode each order's products and total the sales per product, exactly, into
/// `product_sales(product_name PRIMARY KEY, total_sales, units, orders, updated_at)`.
///
/// Orders that break a rule of ``SalesValidation`` (non-positive quantity or price, no products, a
/// total_value that is not Σ quantity × price to the centavo, an unreadable sale_datetime) go to the
/// dead-letter topic `ecommerce_sales.dlq` with the reason; the totals never see them.
///
/// With a database sink the results are exactly-once: each batch's upserts and the topic offsets it reflects
/// commit in one transaction, and a restart resumes after the last committed batch.
///
/// ```swift
/// let sales = SalesPipeline()
/// let sink = UpdatedAtSink(try SQLiteSink(path: "eddy-data/sales.sqlite"))
/// let runner = try PipelineRunner(sales.pipeline(to: sink), log: log, dataDirectory: "eddy-data")
/// try await runner.run()
/// ```
public struct SalesPipeline: Sendable {
    public static let table = "product_sales"
    public static let defaultTopic = "ecommerce_sales"

    public var name: String
    public var topic: String
    /// Workers of the compiled path, each reading a share of the topic's partitions (at most one per
    /// partition).
    public var workers: Int

    public init(name: String = "sales", topic: String = SalesPipeline.defaultTopic, workers: Int = 2) {
        self.name = name
        self.topic = topic
        self.workers = workers
    }

    /// The job, writing changed totals (update mode, upserts by product_name) to `sink`; `mode: .complete`
    /// re-sends every product each batch, as the seed's console variant shows them.
    public func pipeline(to sink: some Sink, mode: OutputMode = .update) -> Pipeline {
        Pipeline(name)
            .source(topic: topic, schema: SalesOrder.schema)
            .validate(
                SalesValidation.version, SalesValidation.problem(in:), fastCheck: SalesValidation.passes
            )
            .explode("products", as: "product")
            .groupBy(keys: [NamedExpression("product_name", col("product.product_name"))])
            .aggregate(
                .sum(col("product.quantity") * col("product.price"), as: "total_sales"),
                .sum(col("product.quantity"), as: "units"),
                .count(as: "orders")
            )
            .output(Self.table, mode: mode, to: sink)
            .workers(workers)
    }

    /// The results table's sink for a `--sink` value (`sqlite:PATH` or `postgres://…`), stamping each row's
    /// `updated_at`.
    public static func sink(for url: SinkURL) throws -> any Sink {
        switch url {
        case .sqlite(let path): UpdatedAtSink(try SQLiteSink(path: path))
        case .postgres(let endpoint): UpdatedAtSink(PostgresSink(endpoint: endpoint))
        }
    }
}
