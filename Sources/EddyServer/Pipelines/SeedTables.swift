/// Where the seeds' questions are answered: which pipeline and table hold retail areas, windows and
/// customers, and sales per product, and the columns the endpoints sort and filter on. The defaults match
/// the seed pipelines in EddyApps; a deployment that renames them passes its own.
///
/// ```swift
/// var seeds = SeedTables()
/// seeds.sales.pipeline = "sales-postgres"
/// let server = EddyServer(pipelines: handles, log: log, seeds: seeds)
/// ```
public struct SeedTables: Sendable, Hashable {
    public struct Retail: Sendable, Hashable {
        public var pipeline = "retail"
        /// Per area: `location`, `total_traffic`, `total_duration`, `avg_duration`.
        public var areasTable = "areas"
        /// Per event-time window and area: `window_start`, `window_end`, `location`, `traffic`, `readings`.
        public var windowsTable = "windows"
        /// Per customer and area: `customer_id`, `location`, `dwell_time`, `visits`.
        public var customersTable = "customers"
        public var locationColumn = "location"
        public var trafficColumn = "total_traffic"
        public var durationColumn = "total_duration"
        public var windowStartColumn = "window_start"
        public var customerColumn = "customer_id"
        /// The customers table's time-spent column; a customer's areas are listed longest first.
        public var dwellColumn = "dwell_time"
        public init() {}
    }

    public struct Sales: Sendable, Hashable {
        public var pipeline = "sales"
        /// Per product: `product_name`, `total_sales`, `units`.
        public var productsTable = "product_sales"
        public var productColumn = "product_name"
        public var totalSalesColumn = "total_sales"
        public var unitsColumn = "units"
        public init() {}
    }

    public var retail = Retail()
    public var sales = Sales()

    public init() {}
}
