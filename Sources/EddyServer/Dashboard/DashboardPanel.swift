/// One chart or table on the dashboard, declared by the app that owns the table: the page draws what it
/// is told and never guesses from column names.
///
/// ```swift
/// DashboardPanel(pipeline: "retail", table: "areas", title: "Traffic per area",
///                chart: .bars(label: "location", value: "total_traffic"))
/// DashboardPanel(pipeline: "retail", table: "windows", title: "Traffic per window",
///                chart: .timeSeries(time: "window_start", series: "location", value: "traffic"), wide: true)
/// ```
public struct DashboardPanel: Sendable, Hashable, Codable {
    /// How the rows are drawn.
    public enum Chart: Sendable, Hashable, Codable {
        /// One horizontal bar per row: `label` names it, `value` sizes it; the largest `value`s first.
        case bars(label: String, value: String)
        /// One line per `series` value over `time`, of `value`; the most recent `limit` rows.
        case timeSeries(time: String, series: String, value: String)
        /// The rows as a table, ordered by `orderBy` (largest first) when given.
        case table(orderBy: String?)
        /// A table of files, ordered by `orderBy` (largest first): clicking the `name` column's value shows
        /// the answer of `preview` (a path with `{name}`, answering `{"schema": [{name, type}], "preview": [{…}]}`).
        case files(name: String, orderBy: String, preview: String)
        /// A group of bars per row, named by `label`, one bar per column of `values` side by side (a user's
        /// taste profile against their recommendations, feature by feature).
        case compare(label: String, values: [String])

        /// Every `kind` on the wire, for the API document.
        public static let kinds = ["bars", "timeSeries", "table", "files", "compare"]

        private enum CodingKeys: String, CodingKey {
            case kind, label, value, time, series, orderBy, name, preview, values
        }

        // Flat on the wire (`{"kind": "bars", "label": …, "value": …}`), which is what the page reads.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .bars(let label, let value):
                try container.encode("bars", forKey: .kind)
                try container.encode(label, forKey: .label)
                try container.encode(value, forKey: .value)
            case .timeSeries(let time, let series, let value):
                try container.encode("timeSeries", forKey: .kind)
                try container.encode(time, forKey: .time)
                try container.encode(series, forKey: .series)
                try container.encode(value, forKey: .value)
            case .table(let orderBy):
                try container.encode("table", forKey: .kind)
                try container.encodeIfPresent(orderBy, forKey: .orderBy)
            case .files(let name, let orderBy, let preview):
                try container.encode("files", forKey: .kind)
                try container.encode(name, forKey: .name)
                try container.encode(orderBy, forKey: .orderBy)
                try container.encode(preview, forKey: .preview)
            case .compare(let label, let values):
                try container.encode("compare", forKey: .kind)
                try container.encode(label, forKey: .label)
                try container.encode(values, forKey: .values)
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            switch try container.decode(String.self, forKey: .kind) {
            case "bars":
                self = .bars(
                    label: try container.decode(String.self, forKey: .label),
                    value: try container.decode(String.self, forKey: .value))
            case "timeSeries":
                self = .timeSeries(
                    time: try container.decode(String.self, forKey: .time),
                    series: try container.decode(String.self, forKey: .series),
                    value: try container.decode(String.self, forKey: .value))
            case "table":
                self = .table(orderBy: try container.decodeIfPresent(String.self, forKey: .orderBy))
            case "files":
                self = .files(
                    name: try container.decode(String.self, forKey: .name),
                    orderBy: try container.decode(String.self, forKey: .orderBy),
                    preview: try container.decode(String.self, forKey: .preview))
            case "compare":
                self = .compare(
                    label: try container.decode(String.self, forKey: .label),
                    values: try container.decode([String].self, forKey: .values))
            case let other:
                throw DecodingError.dataCorruptedError(
                    forKey: .kind, in: container, debugDescription: "unknown chart kind '\(other)'")
            }
        }
    }

    /// How numbers are shown.
    public enum NumberStyle: String, Sendable, Hashable, Codable {
        case number, money
    }

    public var pipeline: String
    public var table: String
    public var title: String
    public var chart: Chart
    /// Rows fetched for the panel.
    public var limit: Int
    /// Spans the page's width.
    public var wide: Bool
    public var numberStyle: NumberStyle
    /// A colour variant of the page's palette (`"alt"`, `"gold"`), or nil for the default.
    public var accent: String?
    /// A column whose value the viewer picks on the page (a select on the panel; panels with the same
    /// `pick` share the choice, so picking a user shows that user everywhere): only rows with the picked
    /// value are drawn. Nil: every row.
    public var pick: String?

    public init(
        pipeline: String, table: String, title: String, chart: Chart, limit: Int = 10, wide: Bool = false,
        numberStyle: NumberStyle = .number, accent: String? = nil, pick: String? = nil
    ) {
        self.pipeline = pipeline
        self.table = table
        self.title = title
        self.chart = chart
        self.limit = limit
        self.wide = wide
        self.numberStyle = numberStyle
        self.accent = accent
        self.pick = pick
    }
}
