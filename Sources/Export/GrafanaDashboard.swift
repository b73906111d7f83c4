/// The AI Factory Grafana dashboard: four companion rows (golden signals, tenant usage, pool
/// health, prefix-cache efficiency) and the GPU health rows, with variables `tenant`, `node` and
/// `model_name`.
///
/// The first GPU health row keeps the eight panels of NVIDIA's dcgm-exporter dashboard (same titles
/// and metrics, `Tests/Fixtures/dcgm-exporter-dashboard.json`) so teams recognise them, filtered by
/// our `tenant`/`node` labels instead of `instance`/`gpu`.
public struct GrafanaDashboard: Sendable, Hashable {
    public var title: String
    public var uid: String
    /// Panels and row headers in layout order; `y` is assigned when the dashboard is built.
    public var panels: [GrafanaPanel]
    /// Template variables (`label_values(...)` queries) in display order.
    public var variables: [Variable]

    public struct Variable: Sendable, Hashable {
        public var name: String
        public var label: String
        /// Grafana `label_values(metric{…}, label)` query.
        public var query: String

        public init(name: String, label: String, query: String) {
            self.name = name
            self.label = label
            self.query = query
        }
    }

    public init(title: String, uid: String, panels: [GrafanaPanel], variables: [Variable]) {
        self.title = title
        self.uid = uid
        self.panels = panels
        self.variables = variables
    }

    /// Every panel query (PromQL with Grafana variables), in panel order.
    public var queries: [String] {
        panels.flatMap { $0.targets.map(\.expr) }
    }
}
