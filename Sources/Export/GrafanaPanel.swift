/// One Grafana panel (or row header) of ``GrafanaDashboard``.
public struct GrafanaPanel: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case row, timeseries, gauge, stat, table
    }

    public struct Target: Sendable, Hashable {
        /// PromQL with Grafana variables (`$tenant`, `$__rate_interval`).
        public var expr: String
        public var legend: String

        public init(_ expr: String, legend: String = "") {
            self.expr = expr
            self.legend = legend
        }
    }

    public var kind: Kind
    public var title: String
    public var description: String
    public var targets: [Target]
    /// Grafana unit id (`celsius`, `percentunit`, `s`, `watt`, `reqps`, …).
    public var unit: String
    /// Grid position: 24 columns wide.
    public var x: Int, y: Int, width: Int, height: Int
    public var thresholds: [(value: Double, color: String)]
    public var min: Double?
    public var max: Double?

    public init(
        _ kind: Kind, title: String, description: String = "", targets: [Target] = [], unit: String = "short",
        x: Int = 0, y: Int = 0, width: Int = 12, height: Int = 8,
        thresholds: [(value: Double, color: String)] = [], min: Double? = nil, max: Double? = nil
    ) {
        self.kind = kind
        self.title = title
        self.description = description
        self.targets = targets
        self.unit = unit
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.thresholds = thresholds
        self.min = min
        self.max = max
    }

    public static func == (lhs: GrafanaPanel, rhs: GrafanaPanel) -> Bool {
        lhs.kind == rhs.kind && lhs.title == rhs.title && lhs.targets == rhs.targets && lhs.x == rhs.x && lhs.y == rhs.y
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(title)
        hasher.combine(targets)
    }
}
